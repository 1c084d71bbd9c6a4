// 25006: a write reached a server that is (now) read-only, a demoted primary during a
// switchover; the next connection finds the new one.
const UNAVAILABLE_CODES = new Set(['25006', 'ECONNREFUSED', 'EHOSTUNREACH', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '53300']);
// Worth retrying as they are: the statement lost a race, not a fight with its data.
const RETRYABLE_CODES = new Set(['40001', '40P01', '55P03']);

/** PostgreSQL down, restarting or out of connections: the client may retry. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return (
    (code !== undefined && UNAVAILABLE_CODES.has(code)) ||
    /Connection terminated|connection timeout|Client has encountered a connection error|Connection closed/i.test(message ?? '')
  );
}

/** A failure that says nothing about the data: the database is away, or a lock race was lost. */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return isDatabaseUnavailable(error) || (code !== undefined && RETRYABLE_CODES.has(code));
}

/** A connection for writes reached a standby (pg_is_in_recovery()): unavailable, retry. */
export class NotPrimaryError extends Error {
  readonly code = '25006';
  constructor() {
    super('the database server is a standby (read-only): waiting for a primary');
  }
}
