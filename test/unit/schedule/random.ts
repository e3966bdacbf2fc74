// Fuzz and property tests draw from the simulator's seeded generator (mulberry32), so they are reproducible.
export { Rng as Random } from '../../../src/sim/random';
