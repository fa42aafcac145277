/** A mistake in the command line or an unusable input: printed without a stack trace, exit 2. */
export class UsageError extends Error {}
