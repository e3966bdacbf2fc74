// Compound strings, from the examples in the PVE sources and real configs.
import { strict as assert } from 'node:assert';
import {
  keepsEverything, parseAgentOption, parseBackupVolid, parseDiskSize, parseFleecing, parseIpConfig, parseLxcMount,
  parseLxcNet, parsePerformance, parsePropertyString, parsePruneBackups, parseQemuDisk, parseQemuMemory, parseQemuNet,
  parseTags, parseUpid, parseVmidList, printPropertyString, printPruneBackups, formatDiskSize,
} from '../../../src/core/proxmox/parsers';

describe('proxmox parsers', () => {
  describe('property strings', () => {
    it('splits key=value pairs, honours quotes and the default key', () => {
      assert.deepEqual(parsePropertyString('local-lvm:vm-100-disk-0,size=32G', { defaultKey: 'file' }), { file: 'local-lvm:vm-100-disk-0', size: '32G' });
      assert.deepEqual(parsePropertyString('a="x,y",b=1'), { a: 'x,y', b: '1' });
      assert.throws(() => parsePropertyString('novalue'), /has no key/);
      assert.throws(() => parsePropertyString('a=1,a=2'), /duplicate key "a"/);
      assert.throws(() => parsePropertyString('a="open'), /unterminated quote/);
    });
    it('prints the default key first and the rest sorted, like PVE', () => {
      assert.equal(printPropertyString({ storage: 'local-lvm', enabled: true }, 'enabled'), '1,storage=local-lvm');
      assert.equal(printPropertyString({ b: 'x,y', a: 2 }), 'a=2,b="x,y"');
    });
  });

  describe('prune-backups', () => {
    it('reads the object form with string values (captured from /cluster/backup)', () => {
      assert.deepEqual(parsePruneBackups({ 'keep-daily': '7', 'keep-hourly': '24', 'keep-monthly': '3', 'keep-weekly': '4' }),
        { keepDaily: 7, keepHourly: 24, keepMonthly: 3, keepWeekly: 4 });
    });
    it('reads the string form in any key order and prints it sorted', () => {
      const p = parsePruneBackups('keep-last=3,keep-daily=7,keep-weekly=4,keep-monthly=6,keep-yearly=2');
      assert.equal(printPruneBackups(p), 'keep-daily=7,keep-last=3,keep-monthly=6,keep-weekly=4,keep-yearly=2');
      assert.equal(keepsEverything(p), false);
      assert.equal(keepsEverything(parsePruneBackups('keep-all=1')), true);
      assert.equal(keepsEverything(parsePruneBackups({})), true);
    });
    it('rejects negative, fractional and unknown options', () => {
      assert.throws(() => parsePruneBackups('keep-last=-1'), /keep-last=-1 is not a non-negative integer/);
      assert.throws(() => parsePruneBackups({ 'keep-daily': '1.5' }), /keep-daily/);
      assert.throws(() => parsePruneBackups('keep-forever=1'), /unknown retention option "keep-forever"/);
    });
  });

  it('fleecing: bare default key, object with number, storage', () => {
    assert.deepEqual(parseFleecing('1,storage=local-lvm'), { enabled: true, storage: 'local-lvm' });
    assert.deepEqual(parseFleecing('enabled=0'), { enabled: false });
    assert.deepEqual(parseFleecing({ enabled: 1, storage: 'local-lvm' }), { enabled: true, storage: 'local-lvm' });
    assert.throws(() => parseFleecing('enabled=maybe'), /not a boolean/);
  });

  it('performance: strings and numbers', () => {
    assert.deepEqual(parsePerformance('max-workers=8,pbs-entries-max=2097152'), { maxWorkers: 8, pbsEntriesMax: 2097152 });
    assert.deepEqual(parsePerformance({ 'max-workers': '16' }), { maxWorkers: 16 });
  });

  it('vmid lists and tags', () => {
    assert.deepEqual(parseVmidList('100,101, 102;103'), [100, 101, 102, 103]);
    assert.deepEqual(parseVmidList(''), []);
    assert.throws(() => parseVmidList('100,abc'), /"abc" in the VMID list/);
    assert.deepEqual(parseTags('one, two, three'), ['one', 'two', 'three']);
    assert.deepEqual(parseTags('tag1;tag2'), ['tag1', 'tag2']);
  });

  describe('qemu netN', () => {
    it('reads the canonical keyAlias form', () => {
      assert.deepEqual(parseQemuNet('virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1,tag=10'), {
        model: 'virtio', macaddr: 'BC:24:11:AA:BB:CC', bridge: 'vmbr0', firewall: true, linkDown: false, tag: 10,
      });
    });
    it('reads model=,macaddr= and a bare model, trunks, rate and mtu', () => {
      assert.deepEqual(parseQemuNet('model=e1000,macaddr=BC:24:11:00:00:01,bridge=vmbr1,link_down=1'),
        { model: 'e1000', macaddr: 'BC:24:11:00:00:01', bridge: 'vmbr1', firewall: false, linkDown: true });
      assert.deepEqual(parseQemuNet('virtio'), { model: 'virtio', firewall: false, linkDown: false });
      const n = parseQemuNet('vmxnet3=BC:24:11:00:00:02,bridge=vmbr0,mtu=9000,queues=4,rate=12.5,trunks=10;20;30-40');
      assert.deepEqual([n.mtu, n.queues, n.rate, n.trunks], [9000, 4, 12.5, '10;20;30-40']);
    });
    it('refuses a net without a model', () => {
      assert.throws(() => parseQemuNet('bridge=vmbr0'), /names no model/);
    });
  });

  it('lxc netN: dhcp and static', () => {
    assert.deepEqual(parseLxcNet('name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:5E:4C:1F,ip=dhcp,ip6=dhcp,type=veth'), {
      name: 'eth0', bridge: 'vmbr0', firewall: true, linkDown: false, hwaddr: 'BC:24:11:5E:4C:1F', ip: 'dhcp', ip6: 'dhcp', type: 'veth',
    });
    const s = parseLxcNet('name=eth0,bridge=vmbr0,gw=192.168.1.1,hwaddr=BC:24:11:12:34:56,ip=192.168.1.50/24,tag=10');
    assert.deepEqual([s.ip, s.gw, s.tag, s.type], ['192.168.1.50/24', '192.168.1.1', 10, 'veth']);
    assert.throws(() => parseLxcNet('bridge=vmbr0'), /has no name=/);
  });

  describe('disks', () => {
    it('sizes: K/M/G/T and plain bytes', () => {
      assert.equal(parseDiskSize('32G'), 32 * 1024 ** 3);
      assert.equal(parseDiskSize('628M'), 628 * 1024 ** 2);
      assert.equal(parseDiskSize('4M'), 4 * 1024 ** 2);
      assert.equal(parseDiskSize('1T'), 1024 ** 4);
      assert.equal(parseDiskSize('1048577'), 1048577);
      assert.equal(formatDiskSize(32 * 1024 ** 3), '32G');
      assert.equal(formatDiskSize(1048577), '1048577');
      assert.throws(() => parseDiskSize('32X'), /is not a size/);
    });
    it('qemu disks of every bus', () => {
      const scsi = parseQemuDisk('scsi1', 'local-lvm:vm-100-disk-1,cache=writeback,discard=on,iothread=1,size=100G,ssd=1');
      assert.deepEqual([scsi.bus, scsi.index, scsi.storage, scsi.sizeBytes, scsi.backup, scsi.options.cache], ['scsi', 1, 'local-lvm', 100 * 1024 ** 3, true, 'writeback']);
      const virtio = parseQemuDisk('virtio0', 'local:100/vm-100-disk-0.qcow2,size=32G');
      assert.deepEqual([virtio.bus, virtio.volume, virtio.storage], ['virtio', 'local:100/vm-100-disk-0.qcow2', 'local']);
      const iso = parseQemuDisk('ide2', 'local:iso/debian-12.iso,media=cdrom,size=628M');
      assert.deepEqual([iso.media, iso.backup, iso.sizeBytes], ['cdrom', false, 628 * 1024 ** 2]);
      const empty = parseQemuDisk('ide2', 'none,media=cdrom');
      assert.deepEqual([empty.volume, empty.storage], ['none', undefined]);
      const efi = parseQemuDisk('efidisk0', 'local-lvm:vm-100-disk-1,efitype=4m,pre-enrolled-keys=1,size=4M');
      assert.deepEqual([efi.bus, efi.sizeBytes, efi.backup], ['efidisk', 4 * 1024 ** 2, true]);
      const tpm = parseQemuDisk('tpmstate0', 'local-lvm:vm-100-disk-2,size=4M,version=v2.0');
      assert.equal(tpm.bus, 'tpmstate');
      const unused = parseQemuDisk('unused0', 'local-lvm:vm-100-disk-3');
      assert.deepEqual([unused.bus, unused.sizeBytes, unused.backup], ['unused', undefined, false]);
      assert.equal(parseQemuDisk('sata0', 'local-lvm:vm-100-disk-0,backup=0,size=8G').backup, false);
      assert.equal(parseQemuDisk('scsi0', 'file=local-lvm:vm-100-disk-0,size=8G').volume, 'local-lvm:vm-100-disk-0');
      assert.throws(() => parseQemuDisk('net0', 'x'), /not a QEMU disk key/);
      assert.throws(() => parseQemuDisk('scsi0', 'local-lvm:vm-100-disk-0,size=big'), /size "big"/);
    });
    it('lxc rootfs and mount points (volume, bind mount, backup flag)', () => {
      const root = parseLxcMount('rootfs', 'local-lvm:vm-101-disk-0,size=8G');
      assert.deepEqual([root.bus, root.mountpoint, root.backup, root.sizeBytes], ['rootfs', '/', true, 8 * 1024 ** 3]);
      const mp = parseLxcMount('mp0', 'local-lvm:vm-101-disk-1,mp=/mnt/data,backup=1,size=32G');
      assert.deepEqual([mp.bus, mp.index, mp.mountpoint, mp.backup], ['mp', 0, '/mnt/data', true]);
      assert.equal(parseLxcMount('mp2', 'local-lvm:vm-101-disk-2,mp=/x,size=1G').backup, false);
      const bind = parseLxcMount('mp1', '/srv/data,mp=/data,backup=1');
      assert.deepEqual([bind.storage, bind.backup], [undefined, false]);
    });
  });

  describe('backup volids', () => {
    it('file archives of every format', () => {
      assert.deepEqual(parseBackupVolid('local:backup/vzdump-qemu-100-2024_01_01-04_00_00.vma.zst'), {
        volid: 'local:backup/vzdump-qemu-100-2024_01_01-04_00_00.vma.zst', storage: 'local', kind: 'file', guestType: 'qemu',
        vmid: 100, time: '2024-01-01T04:00:00', format: 'vma.zst', compression: 'zst', fileName: 'vzdump-qemu-100-2024_01_01-04_00_00.vma.zst',
      });
      const lxc = parseBackupVolid('nfs:backup/vzdump-lxc-101-2023_12_31-23_59_59.tar.gz');
      assert.deepEqual([lxc?.guestType, lxc?.vmid, lxc?.format, lxc?.compression, lxc?.epoch], ['lxc', 101, 'tar.gz', 'gz', undefined]);
      assert.equal(parseBackupVolid('local:backup/vzdump-openvz-102-2020_01_01-00_00_00.tgz')?.compression, 'gz');
      assert.equal(parseBackupVolid('local:backup/vzdump-qemu-100-2024_01_01-04_00_00.vma')?.compression, undefined);
    });
    it('PBS snapshots carry a UTC epoch', () => {
      const v = parseBackupVolid('pbs1:backup/vm/100/2024-01-01T04:00:00Z');
      assert.deepEqual([v?.kind, v?.guestType, v?.vmid, v?.epoch, v?.format], ['pbs', 'qemu', 100, 1704081600, 'pbs-vm']);
      assert.equal(parseBackupVolid('pbs1:backup/ct/101/2024-01-01T04:00:00Z')?.guestType, 'lxc');
    });
    it('is undefined for anything that is not a vzdump backup', () => {
      assert.equal(parseBackupVolid('local:vztmpl/alpine-3.16-default_20220622_amd64.tar.xz'), undefined);
      assert.equal(parseBackupVolid('local:backup/random.tar'), undefined);
      assert.equal(parseBackupVolid('no-colon'), undefined);
    });
  });

  describe('UPIDs', () => {
    it('PVE: eight fields, token user', () => {
      const u = parseUpid('UPID:pve1:000A1B2C:01234567:6592A0C0:vzdump::root@pam!backup:');
      assert.deepEqual([u.product, u.node, u.pid, u.pstart, u.starttime, u.type, u.id, u.user, u.tokenName],
        ['pve', 'pve1', 0xa1b2c, 0x1234567, 0x6592a0c0, 'vzdump', '', 'root@pam', 'backup']);
      assert.equal(parseUpid('UPID:iaclab-01-01:00000DD3:1C419D88:6119FB65:srvreload:networking:root@pam:').pid, 3539);
    });
    it('PBS: task id field and escaped ids', () => {
      const u = parseUpid('UPID:pbs:0000168E:04450640:00000009:6AB26CEA:garbage_collection:main:root@pam:');
      assert.deepEqual([u.product, u.taskId, u.starttime, u.type, u.id], ['pbs', 9, 0x6ab26cea, 'garbage_collection', 'main']);
      assert.equal(parseUpid('UPID:pbs1:000004D2:00001A2B:00000007:6592A0C0:verificationjob:store1\\x3av\\x2d1:root@pam:').id, 'store1:v-1');
    });
    it('refuses what is not a UPID', () => {
      assert.throws(() => parseUpid('UPID:broken'), /is not a task id/);
      assert.throws(() => parseUpid('UPID:n:zz:1:1:t:i:u@pam:'), /pid "zz" is not hexadecimal/);
    });
  });

  it('memory, agent and ipconfig', () => {
    assert.equal(parseQemuMemory('2048'), 2048);
    assert.equal(parseQemuMemory('current=4096'), 4096);
    assert.deepEqual(parseAgentOption('1,fstrim_cloned_disks=1'), { enabled: true, fstrimClonedDisks: true });
    assert.deepEqual(parseAgentOption('enabled=0,type=isa'), { enabled: false, type: 'isa' });
    assert.deepEqual(parseIpConfig('ip=10.0.0.5/24,gw=10.0.0.1,ip6=auto'), { ip: '10.0.0.5/24', gw: '10.0.0.1', ip6: 'auto' });
  });
});
