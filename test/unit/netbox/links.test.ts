import { strict as assert } from 'node:assert';
import { netboxPage } from '../../../src/core/netbox/netboxLinks';
import { netboxObjectOf } from '../../../src/ui/commands/args';

describe('Open in NetBox', () => {
  const url = 'https://netbox.example.com/nb/';

  it('opens a guest row at its VM, found by our custom fields (not by name or a NetBox id)', () => {
    const page = new URL(netboxPage(url, 'lab-1', netboxObjectOf({ endpointId: 'lab-1', guest: { vmid: 101, name: 'web' } })));
    assert.equal(page.pathname, '/nb/virtualization/virtual-machines/');
    assert.equal(page.searchParams.get('cf_proxbox_endpoint'), 'lab-1');
    assert.equal(page.searchParams.get('cf_proxbox_vmid'), '101');
  });

  it('opens a node row at its device, and an endpoint row at its cluster', () => {
    const node = new URL(netboxPage(url, 'lab', netboxObjectOf({ endpointId: 'lab', node: 'pve 1&2' })));
    assert.equal(node.pathname, '/nb/dcim/devices/');
    assert.equal(node.searchParams.get('cf_proxbox_node'), 'pve 1&2');
    const cluster = new URL(netboxPage(url, 'lab', netboxObjectOf({ endpoint: { id: 'lab' } })));
    assert.equal(cluster.pathname, '/nb/virtualization/clusters/');
    assert.equal(cluster.searchParams.get('cf_proxbox_endpoint'), 'lab');
  });

  it('opens a backup job row at the netbox-proxbox plugin\'s backup routines of that job', () => {
    const page = new URL(netboxPage(url, 'lab', netboxObjectOf({ endpointId: 'lab', routine: { jobId: 'backup-9d3f' } })));
    assert.equal(page.pathname, '/nb/plugins/proxbox/backup-routines/');
    assert.equal(page.searchParams.get('job_id'), 'backup-9d3f');
  });
});
