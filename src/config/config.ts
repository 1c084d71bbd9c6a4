import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** A key holder's name in `role:name:key`: a person or a pipeline, as `codedBy` records it. */
export const personName = z.string().regex(/^[A-Za-z][A-Za-z0-9._-]{0,62}$/, 'a name is a letter, then letters, digits, ".", "_" or "-" (at most 63)');

/**
 * `role:key` or `role:name:key`, comma-separated. Exactly three parts with a name in the middle
 * name the key's holder; any other form is `role:key`, the key keeping its colons (so a named
 * key holds none).
 */
const apiKeys = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (!raw || raw.trim() === '') return [];
    const keys: { role: 'reader' | 'writer' | 'admin'; key: string; name?: string }[] = [];
    for (const pair of raw.split(',')) {
      const [role, ...rest] = pair.trim().split(':');
      const named = rest.length === 2 && personName.safeParse(rest[0]).success && rest[1]!.length >= 8;
      const key = named ? rest.slice(1).join(':') : rest.join(':');
      if ((role !== 'reader' && role !== 'writer' && role !== 'admin') || key.length < 8) {
        ctx.addIssue({
          code: 'custom',
          message: `expected "role:key" or "role:name:key" with role reader|writer|admin and a key of at least 8 characters, got "${role ?? ''}:…"`,
        });
        return z.NEVER;
      }
      keys.push({ role, key, ...(named ? { name: rest[0]! } : {}) });
    }
    return keys;
  });

/** A yes/no variable: 1/0, true/false, yes/no, on/off (any case). */
const booleanVariable = z
  .string()
  .transform((raw, ctx) => {
    const value = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    ctx.addIssue({ code: 'custom', message: `expected 1/0, true/false, yes/no or on/off, got "${raw}"` });
    return z.NEVER;
  });

export const configSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** PostgreSQL hot standbys as-of reads may go to (comma-separated postgres:// URLs). */
  DATABASE_REPLICA_URLS: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^postgres(ql)?$/ }))),
  /** How long a read waits for a replica to catch up before the primary answers it. */
  PARLEY_REPLICA_MAX_WAIT_MS: z.coerce.number().int().min(0).default(2000),
  PARLEY_DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  PARLEY_API_KEYS: apiKeys,
  /** The April 2025 example into an empty log: `auto` (embedded only), `always`, `never`. */
  PARLEY_LOAD_EXAMPLE: z.enum(['auto', 'always', 'never']).default('auto'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PARLEY_BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'Expected a size like 2mb or 512kb').default('2mb'),
  PARLEY_IMPORT_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'Expected a size like 64mb').default('64mb'),
  /**
   * The largest panel one request may ask for, counted as points × parties × issues (the rows it
   * could hold). A panel streams with back-pressure either way; the cap bounds how long one
   * request may occupy the process and the database's snapshot (docs/reliability.md).
   */
  PARLEY_PANEL_MAX_CELLS: z.coerce.number().int().min(1).default(1_000_000),
  /** Bytes of serialized as-of answers kept in memory, in MiB (http/as-of-cache.ts); 0 turns the cache off. */
  PARLEY_READ_CACHE_MB: z.coerce.number().int().min(0).max(65_536).default(64),
  PARLEY_PROJECTOR_BATCH: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** How long a feed token from POST /feed/tokens opens connections. */
  PARLEY_FEED_TOKEN_TTL_MS: z.coerce.number().int().min(1000).default(60_000),
  PARLEY_FEED_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
  PARLEY_FEED_MAX_BUFFER: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Feed connections one caller (key, token address or client address) may hold at once. */
  PARLEY_FEED_MAX_PER_CLIENT: z.coerce.number().int().min(1).default(20),
  /** Database reads feed replays may run at once (they take turns); the pool keeps the rest. */
  PARLEY_FEED_REPLAY_READERS: z.coerce.number().int().min(1).default(2),
  /** Recent events each process keeps in memory for live feed clients. */
  PARLEY_FEED_TAIL_EVENTS: z.coerce.number().int().min(100).default(10_000),
  /** Host patterns webhook targets must match: `hooks.example.com,*.example.org,127.0.0.1`. */
  PARLEY_WEBHOOK_ALLOW: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((p) => p.trim().toLowerCase()).filter(Boolean)),
  /** Host patterns news feed URLs must match (same form as PARLEY_WEBHOOK_ALLOW). */
  PARLEY_FEED_ALLOW: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((p) => p.trim().toLowerCase()).filter(Boolean)),
  PARLEY_NEWS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** A feed larger than this is refused (the poll fails and says so). */
  PARLEY_NEWS_MAX_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  /** New item versions one poll of a source may append; the rest wait for the next poll (noted on the source). */
  PARLEY_NEWS_MAX_ITEMS_PER_POLL: z.coerce.number().int().min(1).default(500),
  /** New item versions one source may append in an hour (a feed whose content churns on every poll). */
  PARLEY_NEWS_MAX_ITEMS_PER_HOUR: z.coerce.number().int().min(1).default(5000),
  /** A source is polled at most this often, whatever pollInterval it was registered with. */
  PARLEY_NEWS_MIN_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
  /** How often the poller looks for due sources. */
  PARLEY_NEWS_TICK_MS: z.coerce.number().int().min(50).default(1000),
  PARLEY_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).default(1000),
  PARLEY_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  /** How long a claimed delivery waits before another attempt may take it (a crash mid-call). */
  PARLEY_WEBHOOK_LEASE_MS: z.coerce.number().int().min(100).default(60_000),
  PARLEY_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** How often open level alerts are re-sent to Alertmanager. */
  PARLEY_ALERTMANAGER_RESEND_MS: z.coerce.number().int().min(100).default(60_000),
  /** How Parley links to itself in webhook payloads; default http://HOST:PORT. */
  PARLEY_PUBLIC_URL: z.url().optional(),
  /** `/metrics` without a key, for a Prometheus that cannot send one. */
  PARLEY_METRICS_PUBLIC: booleanVariable.default(false),
  /** Behind a TLS-terminating proxy: trust X-Forwarded-Proto/-For (HSTS then goes out on https). */
  PARLEY_TRUST_PROXY: booleanVariable.default(false),
  /**
   * Requests per minute per reader key, feed token or anonymous address; 0 (the default) means
   * unthrottled. One Grafana, one office behind a NAT or one analyst dragging the date slider is
   * one address: a default limit throttled exactly the clients Parley exists to feed (Prometheus,
   * Grafana and KurrentDB throttle no reader by default). Failed authentication stays throttled
   * (PARLEY_AUTH_FAILURE_LIMIT).
   */
  PARLEY_RATE_LIMIT: z.coerce.number().int().min(0).default(0),
  /** Requests per minute per writer or admin key; 0 (the default) means unthrottled. */
  PARLEY_RATE_LIMIT_WRITERS: z.coerce.number().int().min(0).default(0),
  /** Failed authentications per minute per client address before it gets 429s; 0 turns it off. */
  PARLEY_AUTH_FAILURE_LIMIT: z.coerce.number().int().min(0).default(20),
  /** Origins allowed by CORS, comma-separated; CORS is off when unset. */
  PARLEY_CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((o) => o.trim()).filter(Boolean)),
  // At least 2: a rebuild holds its lock on one connection while it reads on another.
  PARLEY_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  /** How often a follower tries to take the lead, and how often the leader checks its session. */
  PARLEY_LEADER_RETRY_MS: z.coerce.number().int().min(50).default(2000),
  PARLEY_LEADER_HEARTBEAT_MS: z.coerce.number().int().min(50).default(2000),
  /**
   * On SIGTERM, how long /readyz answers 503 while every request is still served, before the
   * server closes: the time a load balancer or Kubernetes needs to stop sending new requests.
   */
  PARLEY_SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
});

export type Config = z.infer<typeof configSchema> & { host: string };

export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
}

/**
 * Secrets may come from files (`<NAME>_FILE`), as Docker and Kubernetes secrets are mounted:
 * the file's content, without its trailing newline, is the value.
 */
export const SECRET_VARIABLES = ['DATABASE_URL', 'DATABASE_REPLICA_URLS', 'PARLEY_API_KEYS'] as const;

function fromFiles(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const resolved = { ...env };
  for (const name of SECRET_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (file === undefined) continue;
    if (env[name] !== undefined) throw new ConfigError(`invalid configuration: ${name} and ${name}_FILE are both set: keep one (fix the environment variable and start again)`);
    try {
      resolved[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new ConfigError(`invalid configuration: ${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}) (fix the environment variable and start again)`);
    }
  }
  return resolved;
}

/** Parses the environment once; a bad value stops start-up with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=`) means unset, as shells and compose files write it.
  const given = fromFiles(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  const parsed = configSchema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')} (fix the environment variable and start again)`);
  }
  const config = parsed.data;
  // Without keys nobody is authenticated, so we only listen on loopback.
  const host = config.HOST ?? (config.PARLEY_API_KEYS.length > 0 ? '0.0.0.0' : '127.0.0.1');
  return { ...config, host };
}

export const CONFIG = Symbol('CONFIG');
