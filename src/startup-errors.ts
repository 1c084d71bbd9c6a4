import { isDatabaseUnavailable } from './database/errors';
import { redactUrl } from './outbound/allow-list';
import type { Config } from './config/config';

/**
 * What to tell an operator when Parley cannot start: one line naming the variable to fix.
 * Unknown errors keep their own message.
 */
export function explainStartupError(error: Error, config: Pick<Config, 'PORT' | 'host' | 'DATABASE_URL'> | undefined): string {
  const cause = (error.cause ?? error) as Error & { code?: string };
  const code = (error as { code?: string }).code ?? cause.code;
  if (code === 'EADDRINUSE' && config) return `port ${config.PORT} on ${config.host} is already in use: set PORT to a free port, or stop the process that holds it`;
  if (code === 'EACCES' && config && /listen/.test(error.message)) return `cannot listen on port ${config.PORT}: permission denied (use a port above 1023, or set HOST/PORT)`;
  if (isDatabaseUnavailable(cause) && config?.DATABASE_URL) {
    return `cannot reach PostgreSQL at DATABASE_URL (${databaseShown(config.DATABASE_URL)}): ${cause.message}. Is it running, and is DATABASE_URL right?`;
  }
  return error.message;
}

/** The URL without its password: host, port and database say where we tried. */
function databaseShown(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return redactUrl(url);
  }
}
