// Remote mode: a sync run by an existing proxbox-api backend, reported with our own events. What the UI needs:
// runRemoteSync (the same CompleteData as runSync, events through onEvent), the stage routes, and the URL check.
export { runRemoteSync, closedEarly, CLOSED_EARLY, DEFAULT_REMOTE_TIMEOUT_MS } from './runner';
export type { RemoteSyncRequest } from './runner';
export { parseBackendUrl, remoteStages, planStreams, STAGE_STREAM_PATHS, FULL_UPDATE_PATH, RemoteSetupError } from './routes';
export { RemoteStreamError } from './stream';
