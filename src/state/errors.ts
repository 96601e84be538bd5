/** The state backend cannot be reached or did not answer in time. Safe to retry later. */
export class StateUnavailable extends Error {
  override readonly name = 'StateUnavailable';
  /** False when the request may have reached the backend, so it may or may not have been applied. */
  readonly notApplied: boolean;

  constructor(message: string, options: { notApplied: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.notApplied = options.notApplied;
  }
}

/** The key holds another kind of value (a hash where a string was expected, a non-integer for incr). */
export class StateKindMismatch extends Error {
  override readonly name = 'StateKindMismatch';
}

/** A caller error: empty key, TTL that is not a positive integer, lone surrogate in a string. */
export class InvalidStateArgument extends RangeError {
  override readonly name = 'InvalidStateArgument';
}
