import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { alertEventDefinitions } from './alerting/alert-rules';
import { POSITION_CARRYING, negotiationEventTypes } from './negotiation/domain/events';
import { CONFIG, type Config } from './config/config';
import { Readiness } from './http/health/readiness';
import { projectRoot } from './config/paths';
import { setupOpenApi } from './http/openapi/document';
import { bodyLimits, registerBodyParsers } from './http/body-parsers';
import { observeRequests } from './http/observe-requests';
import type { HttpApplication } from './http/platform';
import { requestIdOf } from './http/request-id';
import { closeSpareSockets } from './http/spare-sockets';
import { recordServerAddress } from './database/server-address';

/** Builds the HTTP application; main.ts, the CLI's `serve` and e2e tests all start it here. */
export async function createServer(config: Config): Promise<HttpApplication> {
  const limits = bodyLimits(config);
  const adapter = new FastifyAdapter({
    trustProxy: config.PARLEY_TRUST_PROXY,
    // The request id is the access log's and the error body's: a caller's X-Request-Id or a new one.
    genReqId: requestIdOf,
    // Ids may be long: they are validated (a 400 naming the field), not cut to a 404.
    // Paths match in any case, as Express matched them (parameters keep theirs).
    routerOptions: { maxParamLength: 2048, caseSensitive: false },
    rewriteUrl: withoutTrailingSlash,
    // A request that arrives on an open connection while the server closes is served, as it was
    // on Express (its answer says `Connection: close`), not refused with a 503 in Fastify's shape.
    return503OnClosing: false,
    bodyLimit: limits.ndjson,
  });
  const app = await NestFactory.create<HttpApplication>(AppModule.forServer(config), adapter, {
    // Quiet until pino takes over; a failed start is reported once, by the caller.
    logger: false,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const instance = app.getHttpAdapter().getInstance();
  registerBodyParsers(instance, limits);
  observeRequests(app);
  closeSpareSockets(instance);
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
  // helmet sets headers on the socket's response; as a hook, not a middleware (no middie pass).
  instance.addHook('onRequest', (request, reply, done) => {
    if (request.protocol === 'https') reply.raw.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    (request.url.startsWith('/docs') ? docs : secure)(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  if (config.PARLEY_CORS_ORIGINS.length > 0) app.enableCors({ origin: config.PARLEY_CORS_ORIGINS, exposedHeaders: ['Retry-After', 'Parley-Position'] });
  setupOpenApi(app, (config.PARLEY_PUBLIC_URL ?? `http://${config.host}:${config.PORT}`).replace(/\/$/, ''));
  serveDashboard(app);
  return app;
}

/**
 * `/negotiations/` is `/negotiations`, as it always was (Express routed so); the dashboard's and
 * the docs' directories keep theirs (`/dashboard/` serves its index.html).
 */
function withoutTrailingSlash(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const end = url.indexOf('?') === -1 ? url.length : url.indexOf('?');
  if (end <= 1 || url[end - 1] !== '/' || url.startsWith('/dashboard') || url.startsWith('/docs')) return url;
  return url.slice(0, end - 1) + url.slice(end);
}

const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * SIGTERM or SIGINT: stop accepting connections, let requests in flight finish, stop the
 * projector after its current batch and the webhook deliverer, close feed clients with a
 * retry hint (they resume with Last-Event-ID), close the database, and exit 0; exit 1 if
 * that takes more than 10 s.
 */
function stopOnSignals(app: HttpApplication, logger: Logger): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'shutting down', signal });
    // /readyz turns 503 first; requests are still served for the delay, while balancers move away.
    app.get(Readiness).drain();
    const delay = app.get<Config>(CONFIG).PARLEY_SHUTDOWN_DELAY_MS;
    setTimeout(() => {
      logger.error({ msg: `shutdown took longer than ${SHUTDOWN_DEADLINE_MS} ms after the delay; exiting` });
      process.exit(1);
    }, delay + SHUTDOWN_DEADLINE_MS).unref();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    (app.getHttpServer() as import('node:http').Server).close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** The dashboard: static files over the API (it reads, and posts events with a writer key); `/` leads to it. */
function serveDashboard(app: HttpApplication): void {
  const root = projectRoot();
  // The event types the page listens for and the ones that move a stance, from the server's own
  // definitions, as a module: the page restates none of them.
  const eventTypes = [
    '// Generated by the server from its event definitions (src/server.ts).',
    `export const FEED_TYPES = ${JSON.stringify([...negotiationEventTypes, ...alertEventDefinitions.map((d) => d.type)])};`,
    `export const STANCE_TYPES = new Set(${JSON.stringify([...POSITION_CARRYING, 'EventCorrected', 'EventRetracted'])});`,
    '',
  ].join('\n');
  const instance = app.getHttpAdapter().getInstance();
  instance.get('/dashboard/event-types.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(eventTypes));
  // `/dashboard` redirects to `/dashboard/`, which serves index.html.
  app.useStaticAssets({ root: join(root, 'src', 'dashboard'), prefix: '/dashboard', redirect: true });
  app.useStaticAssets({ root: join(root, 'node_modules', 'uplot', 'dist'), prefix: '/dashboard/vendor/', decorateReply: false });
  // The query travels along (`/?n=talks` opens that negotiation); only the query, so the target
  // stays on this server whatever the URL holds.
  instance.get('/', (request, reply) => {
    const query = request.url.indexOf('?');
    return reply.redirect(`/dashboard/${query === -1 ? '' : request.url.slice(query)}`);
  });
}

/** What the log says about who may call: true to the address actually listened on. */
function authSummary(config: Config): string {
  if (config.PARLEY_API_KEYS.length > 0) return 'api keys';
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(config.host);
  return loopback ? 'none (PARLEY_API_KEYS unset): listening on loopback only' : `none (PARLEY_API_KEYS unset) on ${config.host}: anyone who reaches it may read and write`;
}

export async function startServer(config: Config): Promise<HttpApplication> {
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
