import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { call, startTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { eventually } from '../../support/receiver';

const run = promisify(execFile);
const CLI = join(__dirname, '../../../dist/src/cli.js');

/** No process marks a delivery dead because of its own local configuration (issue 11, 5). */
describe('webhook deliveries and local configuration', () => {
  let database: TestDatabase;
  const outboxRow = async (url: string) => {
    const id = randomUUID();
    await database.connection.db
      .insertInto('webhook_outbox')
      .values({ id, negotiation_id: 'n', rule_id: randomUUID(), url, payload: '{}', status: 'pending', next_attempt_at: new Date(0), created_at: new Date() })
      .execute();
    return id;
  };
  const row = (id: string) => database.connection.db.selectFrom('webhook_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('leaves pending deliveries alone when a CLI command runs on the same database', async () => {
    const id = await outboxRow('http://hooks.example.org/parley');
    const out = join(mkdtempSync(join(tmpdir(), 'parley-cli-')), 'log.ndjson');
    await run('node', [CLI, 'export', '-o', out], { env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent', PARLEY_WEBHOOK_ALLOW: 'elsewhere.example.com' } });
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 0, last_error: null });
  });

  it('keeps a delivery pending, not dead, on a server whose allow-list does not name its host', async () => {
    const id = await outboxRow('http://hooks.example.org/parley');
    const app = await startTestApp({ PARLEY_WEBHOOK_ALLOW: 'elsewhere.example.com', PARLEY_WEBHOOK_LEASE_MS: '100' }, database);
    try {
      const seen = await eventually(async () => {
        const current = await row(id);
        return current.last_error ? current : undefined;
      }, 'the server to look at the delivery');
      expect(seen).toMatchObject({ status: 'pending', attempts: 0 });
      expect(seen.last_error).toContain("this instance's PARLEY_WEBHOOK_ALLOW");
      expect((await call(app.url, 'GET', '/health')).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
