/**
 * A schedule that cannot be parsed. `position` is the 0-based index into `input` (the trimmed text) where parsing
 * failed; `reason` says what was wrong there. The message names both and shows the expected shape.
 */
export class ScheduleError extends Error {
  readonly input: string;
  readonly position: number;
  readonly reason: string;

  constructor(input: string, position: number, reason: string, hint?: string) {
    const where = input.length === 0 ? '' : ` at character ${position + 1} of '${input}'`;
    super(`${reason}${where}${hint ? `; ${hint}` : ''}`);
    this.name = 'ScheduleError';
    this.input = input;
    this.position = position;
    this.reason = reason;
  }
}
