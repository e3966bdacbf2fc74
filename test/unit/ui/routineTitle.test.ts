// Issue 11, item 8: a backup job's tab is named with what users gave it, not "Backup job backup-e8126dee-e977".
import { strict as assert } from 'node:assert';
import { routineTitle, shortRoutineId } from '../../../src/ui/webviews/routineController';
import type { RoutineViewState } from '../../../src/webview/routine/protocol';

type Detail = NonNullable<RoutineViewState['detail']>;
const state = (over: Partial<Detail>): RoutineViewState =>
  ({ detail: { endpointName: 'Lab cluster', comment: '', enabled: true, status: 'active', ...over } as Detail } as RoutineViewState);
const target = { endpointId: 'pve1', routineId: 'backup-e8126dee-e977' };

describe('ui: the backup job panel\'s title', () => {
  it('is the job\'s comment and the endpoint\'s name', () => {
    assert.equal(routineTitle(state({ comment: 'Nightly databases\nsecond line' }), target), 'Nightly databases · Lab cluster');
  });

  it('without a comment, is the short id: Proxmox\'s random tail is left out, an id a person chose is kept', () => {
    assert.equal(routineTitle(state({}), target), 'Backup job e8126dee · Lab cluster');
    assert.equal(routineTitle(null, target), 'Backup job e8126dee');
    assert.equal(shortRoutineId('weekly'), 'weekly');
    assert.equal(shortRoutineId('backup-e8126dee-e977-extra'), 'backup-e8126dee-e977-extra');
  });

  it('says when the job will not run', () => {
    assert.equal(routineTitle(state({ comment: 'Off-site', enabled: false }), target), 'Off-site · Lab cluster (disabled)');
    assert.equal(routineTitle(state({ status: 'stale' }), target), 'Backup job e8126dee · Lab cluster (stale)');
  });
});
