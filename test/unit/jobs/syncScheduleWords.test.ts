// Issue 11, item 9 (part): a sync schedule's cron errors name the field and its range, and a Proxmox calendar event
// typed where cron is expected is accepted and run as Proxmox would.
import { strict as assert } from 'node:assert';
import { checkCron, cronNext, describeCronOrEvent } from '../../../src/core/jobs/cron';
import { describeSchedule, validateSchedule } from '../../../src/core/jobs/recurrence';
import { JobError } from '../../../src/core/jobs/types';

function refusal(expr: string): string {
  try {
    checkCron(expr, 'UTC');
  } catch (err) {
    assert.ok(err instanceof JobError, `expected a JobError for '${expr}'`);
    return err.message;
  }
  assert.fail(`'${expr}' was accepted`);
}

describe('sync schedule expressions (issue 11, item 9)', () => {
  it('names the field and its range instead of the parser\'s internals', () => {
    const minute = refusal('61 * * * *');
    assert.match(minute, /minute 61 is out of range 0–59/);
    assert.doesNotMatch(minute, /Constraint error|at character/);
    assert.match(refusal('0 24 * * *'), /hour 24 is out of range 0–23/);
    assert.match(refusal('0 0 0 * *'), /day-of-month 0 is out of range 1–31/);
    assert.match(refusal('0 0 * 13 *'), /month 13 is out of range 1–12/);
    assert.match(refusal('0 0 * * 9'), /day-of-week 9 is out of range 0–7/);
    assert.match(refusal('70 0 0 * * *'), /second 70 is out of range 0–59/); // 6 fields: the leading one is the second
    assert.match(refusal('0 0 0 61 * *'), /day-of-month 61 is out of range 1–31/);
    assert.match(refusal('0 2 *'), /5 or 6 fields, this one has 3/);
    assert.match(refusal('x 2 * * *'), /minute 'x' is not a value/);
    assert.match(refusal('*/0 * * * *'), /minute '\*\/0' steps by 0/);
    assert.match(refusal('30-10 * * * *'), /minute range 30-10 runs backwards/);
  });

  it('accepts a Proxmox calendar event and runs it at the same times as the equivalent cron', () => {
    const from = Date.parse('2026-11-27T12:00:00Z'); // a Friday
    const event = cronNext('mon..fri 02:30', 'Europe/Vienna', from);
    const cron = cronNext('30 2 * * 1-5', 'Europe/Vienna', from);
    assert.equal(new Date(event!).toISOString(), '2026-11-30T01:30:00.000Z'); // Monday 02:30 in Vienna
    assert.equal(event, cron);
    assert.doesNotThrow(() => validateSchedule({ mode: 'cron', expr: 'mon..fri 02:30', tz: 'Europe/Vienna' }, from));
    assert.equal(describeCronOrEvent('mon..fri 02:30'), 'every weekday at 02:30');
  });

  it('says both forms when text is neither', () => {
    const m = refusal('mon..fry 02:30');
    assert.match(m, /neither a cron expression .* nor a Proxmox calendar event/);
    assert.match(m, /fry/);
  });

  it('describes a sync schedule in words, keeping the text the user typed', () => {
    const words = describeSchedule({ mode: 'cron', expr: '0 2 * * 1-5', tz: 'UTC' });
    assert.match(words, /^on Monday to Friday at 02:00 in UTC \('0 2 \* \* 1-5'/);
  });
});
