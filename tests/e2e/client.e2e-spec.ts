import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient, orThrow, ParleyError } from '@parley/client';
import { startTestApp, type TestApp } from '../support/app';

const run = promisify(execFile);
const root = join(__dirname, '../..');
const client = (file: string) => join(root, 'clients/typescript', file);

/**
 * The typed client (clients/typescript, a workspace package): it appends and reads against a
 * running server, errors come back as values with the contract's codes, its types refuse wrong
 * routes and fields, and it cannot drift from the server's OpenAPI document.
 */
describe('the typed client', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('appends and reads', async () => {
    const parley = createClient(app.url);
    const appended = await parley.POST('/negotiations/{nid}/events', {
      params: { path: { nid: 'typed' } },
      body: {
        events: [
          { type: 'NegotiationOpened', occurredAt: '2025-04-01T00:00:00Z', data: { title: 'Typed' } },
          ...['us', 'ukraine', 'russia'].map((party) => ({ type: 'PartyAdded' as const, occurredAt: '2025-04-01T00:00:00Z', data: { party, name: party } })),
          { type: 'IssueDefined', occurredAt: '2025-04-01T00:00:00Z', data: { issue: 'crimea', title: 'Crimea' } },
          { type: 'PositionStated', occurredAt: '2025-04-01T12:00:00Z', data: { party: 'us', issue: 'crimea', value: 90 } },
        ],
      },
    });
    expect(appended.response.status).toBe(201);
    // 201 or 200 answer the append; 202 (a proposal) only while review is required.
    expect(appended.data && 'appended' in appended.data ? appended.data.appended : null).toBe(6);
    const { data } = await parley.GET('/negotiations/{nid}/stances', { params: { path: { nid: 'typed' }, query: { at: '2025-04-02' } } });
    expect(data?.stances.map((s) => [s.party, s.issue, s.value])).toEqual([['us', 'crimea', 90]]);
    const gaps = await orThrow(parley.GET('/negotiations/{nid}/gaps', { params: { path: { nid: 'typed' } } }));
    expect(gaps.pairs.length).toBe(3);
  });

  it('answers refusals as typed values with the contract codes', async () => {
    const parley = createClient(app.url);
    const { error, response } = await parley.POST('/negotiations/{nid}/events', {
      params: { path: { nid: 'typed' } },
      body: { events: [{ type: 'PositionStated', occurredAt: '2025-04-02T12:00:00Z', data: { party: 'nobody', issue: 'crimea', value: 10 } }] },
    });
    expect(response.status).toBe(422);
    expect(error?.error).toBe('rule_violation');
    expect(error?.issues?.[0]).toMatchObject({ code: 'NEGOTIATION.UNKNOWN_PARTY', path: ['events', 0, 'data', 'party'] });
    const missing = await orThrow(parley.GET('/negotiations/{nid}', { params: { path: { nid: 'nowhere' } } })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ParleyError);
    expect((missing as ParleyError).code).toBe('not_found');
    expect((missing as ParleyError).status).toBe(404);
  });

  it('refuses wrong routes and fields at compile time', async () => {
    // Exit 0 means every @ts-expect-error in the fixture met the error it expects.
    const { stdout } = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'ES2022', '--skipLibCheck', '--lib', 'ES2023,DOM', join(root, 'tests/fixtures/client-misuse.ts')]);
    expect(stdout).toBe('');
  }, 60_000);

  it('is generated from the document the server publishes: committed files and generation agree', async () => {
    const live = await (await fetch(`${app.url}/docs/openapi.json`)).json();
    const file = join(mkdtempSync(join(tmpdir(), 'parley-client-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(live));
    const generate = `import { normalized, schemaSource } from ${JSON.stringify(client('generate.mjs'))};
      import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
      const document = normalized(JSON.parse(readFileSync(process.argv[1], 'utf8')));
      process.stdout.write(JSON.stringify({ document, schema: await schemaSource(document) }));`;
    const { stdout: output } = await run(process.execPath, ['--input-type=module', '-e', generate, file], { maxBuffer: 64 * 1024 * 1024 });
    const { document, schema } = JSON.parse(output) as { document: unknown; schema: string };
    // A drift means: run `npm run client:generate` and commit what it writes.
    expect(document).toEqual(JSON.parse(readFileSync(client('openapi.json'), 'utf8')));
    expect(schema).toBe(readFileSync(client('src/schema.ts'), 'utf8'));
  }, 60_000);
});
