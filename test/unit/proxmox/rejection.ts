// The ProxmoxError a request ends with; fails the test when the request succeeds or throws anything else.
import { strict as assert } from 'node:assert';
import { ProxmoxError } from '../../../src/core/proxmox/errors';

export async function rejection(p: Promise<unknown>): Promise<ProxmoxError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ProxmoxError, `expected a ProxmoxError, got ${String(e)}`);
    return e;
  }
  assert.fail('the request succeeded');
}
