// Issue 11, item 8: the context keys that hide sync commands from the palette until there is a sync to act on.
import { strict as assert } from 'node:assert';
import type { JobStatus } from '../../../src/core/jobs/types';
import { syncContextKeys } from '../../../src/ui/contextKeys';

const keys = (...statuses: JobStatus[]) => syncContextKeys(statuses.map((status) => ({ status })));

describe('ui: context keys of syncs', () => {
  it('with no jobs, no sync command applies', () => {
    assert.deepEqual(keys(), { 'proxbox.hasActiveSyncs': false, 'proxbox.hasSyncRuns': false, 'proxbox.hasFinishedSyncs': false });
  });

  it('a schedule can be cancelled or deleted, a running one too (a continuous schedule is mostly running); a finished run has a log and a history to clear', () => {
    assert.deepEqual(keys('scheduled'), { 'proxbox.hasActiveSyncs': true, 'proxbox.hasSyncRuns': false, 'proxbox.hasFinishedSyncs': false });
    assert.deepEqual(keys('running'), { 'proxbox.hasActiveSyncs': true, 'proxbox.hasSyncRuns': true, 'proxbox.hasFinishedSyncs': false });
    for (const ended of ['completed', 'errored', 'failed'] as const) {
      assert.deepEqual(keys(ended), { 'proxbox.hasActiveSyncs': false, 'proxbox.hasSyncRuns': true, 'proxbox.hasFinishedSyncs': true }, ended);
    }
    assert.equal(keys('completed', 'pending')['proxbox.hasActiveSyncs'], true);
  });
});
