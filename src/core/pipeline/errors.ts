// The pipeline's own errors. What any thrown value means for the user (category, detail, next step) is decided in
// one place for the whole product: core/errors/explain.ts.
import type { ExplainedError } from '../errors/explain';
import type { PipelineStageName } from './events';

/** A stage that cannot go on, with the explanation made where it happened. */
export class StageFailure extends Error {
  constructor(readonly stage: PipelineStageName, readonly classified: ExplainedError) {
    super(classified.message);
    this.name = 'StageFailure';
  }
}

export class CancelledError extends Error {
  constructor(message = 'The sync was cancelled.') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** Errors after which continuing with other items makes no sense: every further request would fail the same way. */
export function isRunFatal(c: ExplainedError): boolean {
  return c.category === 'authentication' || c.category === 'cancelled';
}
