// What a CLI verb needs from the outside world, so that verbs can be run in-process by tests.
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal: AbortSignal;
}

/** Thrown for a wrong invocation: exit code 2 and the message on stderr. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Verb = (argv: string[], io: CliIO) => Promise<number>;
