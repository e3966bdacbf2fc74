/**
 * A schedule that cannot be parsed. `position` is the 0-based index into `input` (the trimmed text) where parsing
 * failed; `reason` says what was wrong there. The message names both and shows the expected shape.
 */
/** Longer text than a schedule may be (PVE's 128 characters) is quoted cut, with its length, so no message is huge. */
export function clipText(text: string, max = 128): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

export class ScheduleError extends Error {
  readonly input: string;
  readonly position: number;
  readonly reason: string;

  constructor(input: string, position: number, reason: string, hint?: string) {
    const where = input.length === 0 ? '' : ` at character ${position + 1} of '${clipText(input)}'`;
    super(`${reason}${where}${hint ? `; ${hint}` : ''}`);
    this.name = 'ScheduleError';
    this.input = input;
    this.position = position;
    this.reason = reason;
  }
}
