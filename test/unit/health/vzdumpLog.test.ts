// The vzdump log parser on logs shaped as pve-manager's PVE/VZDump.pm writes them (exec_backup, exec_backup_task):
// a scheduled run with a failing guest, a job that failed before its first guest, an older log, CRLF and noise.
import assert from 'node:assert/strict';
import { parseVzdumpLog } from '../../../src/core/health/vzdumpLog';

const perGuestFailure = [
  "INFO: starting new backup job: vzdump 101 102 103 --mode snapshot --storage nfs-backup --compress zstd --notes-template '{{guestname}} on {{node}}' --prune-backups 'keep-daily=7,keep-last=3' --quiet 1",
  'INFO: Starting Backup of VM 101 (qemu)',
  'INFO: Backup started at 2026-11-14 02:30:02',
  'INFO: status = running',
  "INFO: creating vzdump archive '/mnt/pve/nfs-backup/dump/vzdump-qemu-101-2026_11_14-02_30_02.vma.zst'",
  'INFO: Finished Backup of VM 101 (00:01:12)',
  'INFO: Backup finished at 2026-11-14 02:31:14',
  'INFO: Starting Backup of VM 102 (lxc)',
  'INFO: Backup started at 2026-11-14 02:31:14',
  'INFO: status = stopped',
  "INFO: creating vzdump archive '/mnt/pve/nfs-backup/dump/vzdump-lxc-102-2026_11_14-02_31_14.tar.zst'",
  'INFO: tar: ./var/log/journal: Cannot write: No space left on device',
  'ERROR: Backup of VM 102 failed - command \'set -o pipefail && lxc-usernsexec ... \' failed: exit code 2',
  'INFO: Failed at 2026-11-14 02:31:40',
  'INFO: Starting Backup of VM 103 (qemu)',
  'INFO: Backup started at 2026-11-14 02:31:40',
  'ERROR: Backup of VM 103 failed - vma_queue_write: write error - No space left on device',
  'INFO: Failed at 2026-11-14 02:31:58',
  'INFO: Backup job finished with errors',
  'TASK ERROR: job errors',
];

describe('health: parseVzdumpLog', () => {
  it('reads the selection and the per-guest outcome of a run with failures', () => {
    const s = parseVzdumpLog(perGuestFailure, false);
    assert.equal(s.storage, 'nfs-backup');
    assert.equal(s.jobId, null, 'command_line leaves job-id out of the printed command');
    assert.deepEqual(s.vmids, [101, 102, 103]);
    assert.equal(s.all, false);
    assert.deepEqual(s.started, [101, 102, 103]);
    assert.deepEqual(s.finished, [101]);
    assert.deepEqual(s.failed.map((f) => f.vmid), [102, 103]);
    assert.equal(s.failed[1].reason, 'vma_queue_write: write error - No space left on device');
    // The lines about 102 run from its Starting line to its error, and include the tar message that explains it.
    assert.equal(s.failed[0].lines[0], 'INFO: Starting Backup of VM 102 (lxc)');
    assert.ok(s.failed[0].lines.some((l) => l.includes('No space left on device')));
    assert.match(s.failed[0].lines.at(-1)!, /^ERROR: Backup of VM 102 failed/);
    assert.equal(s.jobError, null);
    assert.equal(s.truncated, false);
  });

  it('reads --all, --exclude, --pool, --node, --job-id and quoted values in any order', () => {
    const s = parseVzdumpLog([
      "INFO: starting new backup job: vzdump --exclude 9000,9001 --node pve2 --all 1 --job-id backup-1a2b3c4d-5e6f --storage 'pbs main' --pool prod --notes-template 'it'\\''s {{vmid}}'",
      'INFO: skip external VMs: 104, 105',
    ], true);
    assert.equal(s.all, true);
    assert.deepEqual(s.exclude, [9000, 9001]);
    assert.equal(s.node, 'pve2');
    assert.equal(s.jobId, 'backup-1a2b3c4d-5e6f');
    assert.equal(s.storage, 'pbs main');
    assert.equal(s.pool, 'prod');
    assert.deepEqual(s.vmids, []);
    assert.equal(s.truncated, true);
  });

  it('takes an ERROR before any guest as the job error', () => {
    const s = parseVzdumpLog([
      'INFO: starting new backup job: vzdump 110 111 --storage nas-backups --mode snapshot --quiet 1',
      "ERROR: storage 'nas-backups' is not online",
      'INFO: Failed at 2026-11-14 02:30:01',
      'TASK ERROR: job errors',
    ], false);
    assert.equal(s.jobError, "storage 'nas-backups' is not online");
    assert.deepEqual(s.started, []);
    assert.deepEqual(s.failed, []);
  });

  it('takes the TASK ERROR of a job that died before writing its first line', () => {
    const s = parseVzdumpLog(["TASK ERROR: could not activate storage 'nas-backups': storage 'nas-backups' is not online"], false);
    assert.equal(s.jobError, "could not activate storage 'nas-backups': storage 'nas-backups' is not online");
    // No command line: the storage its error names is the one trace of which job it was.
    assert.equal(s.storage, 'nas-backups');
    assert.equal(s.all, false);
    assert.deepEqual(s.vmids, []);
  });

  it('reads an older log (no job id), CRLF line ends and lines it does not know', () => {
    const s = parseVzdumpLog([
      'INFO: starting new backup job: vzdump 200 --mode stop --storage local --compress lzo\r',
      'hook: job-start\r',
      'INFO: Starting Backup of VM 200 (lxc)\r',
      'WARN: something odd\r',
      'INFO: Finished Backup of VM 200 (00:00:09)\r',
      'INFO: Backup job finished successfully\r',
      'TASK OK\r',
    ], false);
    assert.equal(s.jobId, null);
    assert.equal(s.storage, 'local');
    assert.deepEqual(s.vmids, [200]);
    assert.deepEqual(s.finished, [200]);
    assert.equal(s.jobError, null);
  });

  it('never throws, whatever it is given', () => {
    for (const input of [[], ['no content'], [undefined as unknown as string, 42 as unknown as string], null as unknown as string[],
      ["INFO: starting new backup job: vzdump --storage 'unterminated"], ['ERROR: Backup of VM x failed - y']]) {
      const s = parseVzdumpLog(input, false);
      assert.deepEqual(s.failed, []);
    }
    assert.equal(parseVzdumpLog(["INFO: starting new backup job: vzdump --storage 'unterminated"], false).storage, 'unterminated');
  });
});
