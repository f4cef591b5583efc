/** The app's errors: only usage mistakes need their own type (exit code 2); broker failures are BrokerError. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'USAGE' as const;
  readonly retriable = false;
  readonly exitCode = 2;
}
