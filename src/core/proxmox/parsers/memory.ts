// QEMU `memory`: an integer (MiB) up to PVE 8.0, a property string `[current=]<integer>` since 8.1.
import { quote } from '../decoders/limits';
import { parseNonNegativeInt, parsePropertyString } from './propertyString';

export function parseQemuMemory(text: string): number {
  const map = parsePropertyString(text, { defaultKey: 'current' });
  if (map.current === undefined) throw new Error(`memory "${quote(text)}" has no size`);
  return parseNonNegativeInt(map.current, 'memory');
}
