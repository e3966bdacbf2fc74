// The store's one error type: its message names the file or folder, what is wrong and what to do.

export type StoreErrorReason = 'newer-version' | 'older-version' | 'unknown-kind' | 'corrupt' | 'io' | 'unsafe';

export class StoreError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly reason: StoreErrorReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}
