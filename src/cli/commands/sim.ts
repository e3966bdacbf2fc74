import { Verb } from '../io';

// Placeholder until its issue lands.
export const sim: Verb = async (_argv, io) => {
  io.stderr('proxbox: this command is not available yet\n');
  return 2;
};
