import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleDatasetPath } from '../../src/config/paths';
import { sql } from 'kysely';
import { call } from '../support/app';
import { eventually } from '../support/receiver';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { EMBEDDED_TEMPLATE_ENV } from '../support/embedded';
import { startChild as start } from '../support/child-server';
import { openSse } from '../support/sse';

describe('graceful shutdown (SIGTERM)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('finishes the request in flight, tells feed clients to come back, and exits 0 within 10 s', async () => {
    const server = await start({ DATABASE_URL: database.url });
    const feed = await openSse(`${server.url}/feed`);
    const lines = readFileSync(exampleDatasetPath(), 'utf8').trim().split('\n');
    const setup = lines.slice(0, 13).join('\n');
    await call(server.url, 'POST', '/negotiations/big/events:import', { body: setup, contentType: 'application/x-ndjson' });
    const many = Array.from({ length: 5000 }, (_, i) =>
      JSON.stringify({ type: 'PositionStated', occurredAt: '2025-04-20T00:00:00Z', data: { party: 'us', issue: 'crimea', value: i % 101, summary: `n${i}` } }),
    ).join('\n');
    const inFlight = call(server.url, 'POST', '/negotiations/big/events:import', { body: many, contentType: 'application/x-ndjson' });
    // In flight: the import's transaction has started writing (it holds a transaction id).
    await eventually(async () => {
      const { rows } = await sql<{ n: string }>`
        select count(*) as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_xid is not null`.execute(database.connection.db);
      return Number(rows[0]!.n) > 0;
    }, 'the import to start writing');
    server.child.kill('SIGTERM');
    const answer = await inFlight;
    const exit = await server.exited;
    await feed.closed;
    expect(answer.status).toBe(201);
    expect(answer.body.appended).toBe(5000);
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(10_000);
    expect(feed.messages.find((m) => m.event === 'close')?.data).toContain('server shutting down');
  });

  it('turns /readyz to 503 at once and keeps serving for PARLEY_SHUTDOWN_DELAY_MS, so a balancer moves traffic before the server closes', async () => {
    const server = await start({ DATABASE_URL: database.url, PARLEY_SHUTDOWN_DELAY_MS: '2000' });
    expect((await call(server.url, 'GET', '/readyz')).status).toBe(200);
    server.child.kill('SIGTERM');
    const draining = await eventually(async () => {
      const ready = await call(server.url, 'GET', '/readyz');
      return ready.status === 503 && ready;
    }, '/readyz to turn 503');
    expect(draining.body.status).toBe('draining');
    expect(draining.headers.get('retry-after')).toBe('1');
    // Still serving meanwhile: the process lives and reads are answered.
    expect((await call(server.url, 'GET', '/livez')).body).toEqual({ status: 'ok' });
    expect((await call(server.url, 'GET', '/negotiations')).status).toBe(200);
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeGreaterThanOrEqual(2000);
  });
});

describe('logs', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("carry the request's X-Request-Id (the caller's, or one made and echoed), as does every error body", async () => {
    const server = await start({ DATABASE_URL: database.url });
    try {
      const given = await fetch(`${server.url}/negotiations/nowhere/stances`, { headers: { 'x-request-id': 'trace-from-proxy-42' } });
      expect(given.status).toBe(404);
      expect(given.headers.get('x-request-id')).toBe('trace-from-proxy-42');
      expect(await given.json()).toMatchObject({ error: 'not_found', requestId: 'trace-from-proxy-42' });
      // An id that is not one (spaces, too long) is replaced by one of ours.
      const made = await fetch(`${server.url}/negotiations`, { headers: { 'x-request-id': 'not an id' } });
      expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      await eventually(async () => server.stdout().includes('"trace-from-proxy-42"'), 'the id in the log');
      const line = server.stdout().split('\n').find((l) => l.includes('"trace-from-proxy-42"'))!;
      expect(JSON.parse(line).req.id).toBe('trace-from-proxy-42');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('are structured JSON lines and never contain keys, tokens or Authorization headers', async () => {
    const key = 'reader-key-never-logged-0123';
    const server = await start({ DATABASE_URL: database.url, PARLEY_API_KEYS: `reader:${key}` });
    let token = '';
    try {
      await call(server.url, 'GET', '/negotiations', { key });
      await call(server.url, 'GET', '/negotiations', { key: 'a-wrong-key-also-secret' });
      token = (await call(server.url, 'POST', '/feed/tokens', { key })).body.token;
      const feed = await openSse(`${server.url}/feed?token=${encodeURIComponent(token)}`);
      feed.close();
      await eventually(async () => server.stdout().includes('"url":"/feed?'), 'the feed request to be logged');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const log = server.stdout();
    const lines = log.trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(log).toContain('"url":"/negotiations"');
    // One small access line per request: who asked what, and the status; no headers at all.
    const access = lines.map((line) => JSON.parse(line)).find((entry) => entry.req?.url === '/negotiations' && entry.res?.statusCode === 200);
    expect(access).toMatchObject({ msg: 'request completed', req: { method: 'GET', id: expect.any(String), remoteAddress: expect.any(String) }, res: { statusCode: 200 } });
    expect(access.req.headers).toBeUndefined();
    expect(access.res.headers).toBeUndefined();
    for (const secret of [key, 'a-wrong-key-also-secret', token.split('.')[1]!]) expect(log).not.toContain(secret);
  });
});

describe('the embedded data dir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-lock-'));
  cpSync(process.env[EMBEDDED_TEMPLATE_ENV]!, dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { PARLEY_DATA_DIR: dir, DATABASE_URL: '' };

  it('refuses a second process with a clear message, and survives kill -9', async () => {
    const first = await start(env);
    await call(first.url, 'POST', '/negotiations/kept/events', { json: { events: [{ type: 'NegotiationOpened', occurredAt: '2025-04-01T00:00:00Z', data: { title: 'Kept' } }] } });
    const second = await start(env).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(second).toContain('is in use by another Parley process');

    first.child.kill('SIGKILL');
    await first.exited;
    const third = await start(env);
    try {
      const list = await call(third.url, 'GET', '/negotiations');
      // The first start loaded the example; the write before the kill is there too.
      expect(list.body.negotiations).toEqual([
        { id: 'kept', title: 'Kept', version: 1 },
        { id: 'ukraine-2025', title: 'Ukraine peace framework, April 2025', version: 20 },
      ]);
      // The example came with the report it was coded from: every event cites it.
      const coded = (await call(third.url, 'GET', '/negotiations/ukraine-2025/inbox?status=coded')).body.items;
      expect(coded).toEqual([expect.objectContaining({ publisher: 'Reuters', publishedAt: '2025-04-25T00:00:00.000Z', status: 'coded' })]);
      expect(coded[0].events).toHaveLength(20);
      // What was public before the report came out: no positions yet.
      expect((await call(third.url, 'GET', '/negotiations/ukraine-2025/stances?at=2025-04-24&publicAt=2025-04-24')).body.stances).toEqual([]);
      // The CLI finds this server (on a random port) through the address it recorded in the dir.
      const { execFile } = await import('node:child_process');
      const { promisify } = await import('node:util');
      const cli = join(__dirname, '../../dist/src/cli.js');
      const env2 = { ...process.env, ...env, PARLEY_URL: '', LOG_LEVEL: 'silent' };
      delete (env2 as Record<string, string | undefined>).PARLEY_URL;
      const { stdout, stderr } = await promisify(execFile)('node', [cli, 'stances', '-n', 'ukraine-2025', '--json'], { env: env2 });
      expect(stderr).toContain(`going through ${third.url}`);
      expect(JSON.parse(stdout).stances.length).toBeGreaterThan(10);
    } finally {
      third.child.kill('SIGTERM');
      expect((await third.exited).code).toBe(0);
    }
    expect(existsSync(join(dir, 'parley-server.json'))).toBe(false);
  });
});

describe('configuration errors', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('are one line naming the variable, exit 1, no stack trace', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [require('node:path').join(__dirname, '../../dist/src/main.js')], {
      env: { ...process.env, PORT: 'not-a-port', PARLEY_METRICS_PUBLIC: 'maybe', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^parley: invalid configuration: .*PORT: .*PARLEY_METRICS_PUBLIC: expected 1\/0, true\/false, yes\/no or on\/off, got "maybe"/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('say which port is taken, or that DATABASE_URL does not answer (password hidden), in one line', async () => {
    const { spawnSync } = await import('node:child_process');
    const { createServer } = await import('node:net');
    const main = join(__dirname, '../../dist/src/main.js');
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const taken = spawnSync(process.execPath, [main], { env: { ...process.env, PORT: String(port), DATABASE_URL: database.url }, encoding: 'utf8', timeout: 30_000 });
      expect(taken.status).toBe(1);
      expect(taken.stderr).toMatch(new RegExp(`^parley: port ${port} on 127\\.0\\.0\\.1 is already in use: set PORT`, 'm'));
    } finally {
      holder.close();
    }
    const away = spawnSync(process.execPath, [main], { env: { ...process.env, DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/none' }, encoding: 'utf8', timeout: 30_000 });
    expect(away.status).toBe(1);
    expect(away.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^parley: cannot reach PostgreSQL at DATABASE_URL \(postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/none\): .*ECONNREFUSED/)]);
    expect(away.stderr).not.toContain('hunter2');
  });
});
