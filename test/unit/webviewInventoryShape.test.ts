import { strict as assert } from 'node:assert';
import type { Inventory } from '../../src/core/inventory/model';
import type { InventoryInput } from '../../src/ui/webviews/viewInputs';

// The webviews read a narrow slice of the inventory; this fails to compile the day the real model stops fitting it.
const fits = (inventory: Inventory): InventoryInput => inventory;

describe('webview inputs', () => {
  it('accept the inventory model as stored by the pipeline', () => {
    assert.equal(typeof fits, 'function');
  });
});
