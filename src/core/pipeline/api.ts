// The reads the pipeline makes, as an interface over the Proxmox client's typed methods (ProxmoxClient
// implements it structurally), so the runner depends on nothing else and tests can hand it any client.
import type {
  AgentInterfaces, BackupJob, ClusterResource, ClusterStatusEntry, LxcConfig, LxcInterface, NodeNetworkInterface,
  NodeTime, QemuConfig, ReplicationJob, SnapshotEntry, StorageConfig, StorageContentItem, TaskEntry,
} from '../proxmox/types';
import type { DroppedRow } from '../proxmox/decoders/primitives';
import type { TaskLogPage } from '../proxmox/client';

export interface CallOptions {
  signal?: AbortSignal;
  /** Rows the client left out of a listing because they did not decode (it returns the valid ones). */
  onDropped?: (rows: DroppedRow[]) => void;
}

export interface PveApi {
  clusterStatus(o?: CallOptions): Promise<ClusterStatusEntry[]>;
  clusterResources(type?: 'vm' | 'node' | 'storage', o?: CallOptions): Promise<ClusterResource[]>;
  nodeTime(node: string, o?: CallOptions): Promise<NodeTime>;
  storageIndex(o?: CallOptions): Promise<StorageConfig[]>;
  storageContent(node: string, storage: string, q: { content?: string; vmid?: number }, o?: CallOptions): Promise<StorageContentItem[]>;
  nodeTasks(node: string, q: { limit?: number; since?: number; typefilter?: string; source?: 'archive' | 'active' | 'all' }, o?: CallOptions): Promise<TaskEntry[]>;
  taskLog(node: string, upid: string, q: { start?: number; limit?: number }, o?: CallOptions): Promise<TaskLogPage>;
  nodeNetwork(node: string, o?: CallOptions): Promise<NodeNetworkInterface[]>;
  qemuConfig(node: string, vmid: number, o?: CallOptions): Promise<QemuConfig>;
  lxcConfig(node: string, vmid: number, o?: CallOptions): Promise<LxcConfig>;
  qemuSnapshots(node: string, vmid: number, o?: CallOptions): Promise<SnapshotEntry[]>;
  lxcSnapshots(node: string, vmid: number, o?: CallOptions): Promise<SnapshotEntry[]>;
  qemuAgentInterfaces(node: string, vmid: number, o?: CallOptions): Promise<AgentInterfaces>;
  lxcInterfaces(node: string, vmid: number, o?: CallOptions): Promise<LxcInterface[]>;
  clusterReplication(o?: CallOptions): Promise<ReplicationJob[]>;
  clusterBackup(o?: CallOptions): Promise<BackupJob[]>;
  readonly requestCount: number;
  close(): Promise<void>;
}

/** A guest config with its type, as the guest stage read it. */
export type GuestConfig = { type: 'qemu'; config: QemuConfig } | { type: 'lxc'; config: LxcConfig };
