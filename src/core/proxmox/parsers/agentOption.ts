// QEMU `agent`: `[enabled=]<1|0> [,freeze-fs=<1|0>] [,fstrim_cloned_disks=<1|0>] [,type=<virtio|isa>]`.
import { parseFlag, parsePropertyString } from './propertyString';

export interface AgentOption {
  enabled: boolean;
  type?: string;
  fstrimClonedDisks?: boolean;
  freezeFs?: boolean;
}

export function parseAgentOption(text: string): AgentOption {
  const map = parsePropertyString(text, { defaultKey: 'enabled' });
  const out: AgentOption = { enabled: map.enabled !== undefined && parseFlag(map.enabled, 'enabled') };
  if (map.type) out.type = map.type;
  if (map.fstrim_cloned_disks !== undefined) out.fstrimClonedDisks = parseFlag(map.fstrim_cloned_disks, 'fstrim_cloned_disks');
  const freeze = map['freeze-fs'] ?? map['freeze-fs-on-backup'];
  if (freeze !== undefined) out.freezeFs = parseFlag(freeze, 'freeze-fs');
  return out;
}
