export * from './primitives';
export * from './cluster';
export * from './backupJob';
export * from './nodes';
export * from './storage';
export * from './guests';
export * from './guestNetwork';
