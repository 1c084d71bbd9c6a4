import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import helmet from 'helmet';
import typeis from 'type-is';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, text, type Express } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { Config } from './config/config';
import { projectRoot } from './config/paths';
import { NDJSON_TYPES } from './http/content-type';
import { setupOpenApi } from './http/openapi/document';
import { recordServerAddress } from './database/server-address';

/** Builds the HTTP application; main.ts, the CLI's `serve` and e2e tests all start it here. */
export async function createServer(config: Config): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forServer(config), {
    // Quiet until pino takes over; a failed start is reported once, by the caller.
    logger: false,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  if (config.PARLEY_TRUST_PROXY) app.set('trust proxy', true);
  // Security headers everywhere; Swagger UI (/docs) needs its inline scripts, so no CSP there.
  // Parley is often served over plain HTTP on a LAN or a compose network: no
  // `upgrade-insecure-requests` (a browser would rewrite the page's assets to https and hang),
  // and HSTS only on requests that really came over TLS.
  const secure = helmet({
    contentSecurityPolicy: {
      directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'connect-src': ["'self'"], 'upgrade-insecure-requests': null },
    },
    strictTransportSecurity: false,
  });
  const docs = helmet({ contentSecurityPolicy: false, strictTransportSecurity: false });
  app.use((req: { secure?: boolean }, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  });
  app.use((req: IncomingMessage, res: never, next: () => void) => (req.url?.startsWith('/docs') ? docs : secure)(req as never, res, next));
  if (config.PARLEY_CORS_ORIGINS.length > 0) app.enableCors({ origin: config.PARLEY_CORS_ORIGINS, exposedHeaders: ['Retry-After', 'Parley-Position'] });
  // JSON up to the contract's size (at least 1 MB); NDJSON imports may be whole archives.
  app.use(json({ limit: config.PARLEY_BODY_LIMIT, type: (req) => isJson(req) && !isImport(req) }));
  app.use(text({ type: NDJSON_TYPES, limit: config.PARLEY_IMPORT_LIMIT }));
  setupOpenApi(app, (config.PARLEY_PUBLIC_URL ?? `http://${config.host}:${config.PORT}`).replace(/\/$/, ''));
  serveDashboard(app);
  return app;
}

const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * SIGTERM or SIGINT: stop accepting connections, let requests in flight finish, stop the
 * projector after its current batch and the webhook deliverer, close feed clients with a
 * retry hint (they resume with Last-Event-ID), close the database, and exit 0; exit 1 if
 * that takes more than 10 s.
 */
function stopOnSignals(app: NestExpressApplication, logger: Logger): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'shutting down', signal });
    setTimeout(() => {
      logger.error({ msg: `shutdown took longer than ${SHUTDOWN_DEADLINE_MS} ms; exiting` });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    (app.getHttpServer() as import('node:http').Server).close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** The dashboard: static files over the API (it reads, and posts events with a writer key); `/` leads to it. */
function serveDashboard(app: NestExpressApplication): void {
  const root = projectRoot();
  app.useStaticAssets(join(root, 'src', 'dashboard'), { prefix: '/dashboard' });
  app.useStaticAssets(join(root, 'node_modules', 'uplot', 'dist'), { prefix: '/dashboard/vendor' });
  // The query travels along (`/?n=talks` opens that negotiation); only the query, so the target
  // stays on this server whatever the URL holds.
  (app.getHttpAdapter().getInstance() as Express).get('/', (req, res) => {
    const query = req.originalUrl.indexOf('?');
    res.redirect(`/dashboard/${query === -1 ? '' : req.originalUrl.slice(query)}`);
  });
}

const isJson = (req: IncomingMessage) => typeis(req, ['application/json']) !== false;
// The import route takes NDJSON only: a JSON body there is a 415, not a JSON parse error.
const isImport = (req: IncomingMessage) => /events(:|%3A)import(\?|$)/i.test(req.url ?? '');

/** What the log says about who may call: true to the address actually listened on. */
function authSummary(config: Config): string {
  if (config.PARLEY_API_KEYS.length > 0) return 'api keys';
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(config.host);
  return loopback ? 'none (PARLEY_API_KEYS unset): listening on loopback only' : `none (PARLEY_API_KEYS unset) on ${config.host}: anyone who reaches it may read and write`;
}

export async function startServer(config: Config): Promise<NestExpressApplication> {
  const app = await createServer(config);
  await app.listen(config.PORT, config.host);
  const logger = app.get(Logger);
  const url = await app.getUrl();
  logger.log({
    msg: `Parley listening on ${url}`,
    url,
    database: config.DATABASE_URL ? 'postgres' : `embedded (${config.PARLEY_DATA_DIR})`,
    auth: authSummary(config),
  });
  // The CLI finds this server through its data dir, whatever PORT and HOST say.
  if (!config.DATABASE_URL) recordServerAddress(config.PARLEY_DATA_DIR, url.replace('[::1]', '127.0.0.1'));
  stopOnSignals(app, logger);
  return app;
}
