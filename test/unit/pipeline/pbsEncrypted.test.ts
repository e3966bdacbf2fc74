// When a PBS snapshot counts as encrypted: the rule PVE applies to the same snapshot in its storage listing, so the
// two views of one backup agree.
import { strict as assert } from 'node:assert';
import { isEncrypted } from '../../../src/core/pipeline/stages/pbs/pbsSnapshots';

describe('PBS snapshots: encrypted as PVE says it', () => {
  const file = (filename: string, cryptMode: string): { filename: string; cryptMode: string } => ({ filename, cryptMode });

  it('is encrypted with a key fingerprint, or when every archive is (the index and the client log do not count)', () => {
    assert.equal(isEncrypted({ fingerprint: 'ab:cd', files: [file('root.pxar.didx', 'none')] }), true);
    assert.equal(isEncrypted({ files: [file('drive-scsi0.img.fidx', 'encrypt'), file('qemu-server.conf.blob', 'encrypt'), file('index.json.blob', 'none'), file('client.log.blob', 'none')] }), true);
  });

  it('is not encrypted when one archive is not, when only signed, or when there is no archive at all', () => {
    assert.equal(isEncrypted({ files: [file('drive-scsi0.img.fidx', 'encrypt'), file('qemu-server.conf.blob', 'none')] }), false);
    assert.equal(isEncrypted({ files: [file('drive-scsi0.img.fidx', 'sign-only')] }), false);
    assert.equal(isEncrypted({ files: [file('index.json.blob', 'none')] }), false);
  });
});
