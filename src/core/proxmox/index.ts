// The Proxmox VE API client: typed reads, decoders at the boundary, compound-string parsers.
export * from './types';
export * from './errors';
export * from './decoders';
export * from './parsers';
export * from './tls';
export * from './client';
export * from './testConnection';
