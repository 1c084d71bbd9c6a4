import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { z } from 'zod';
import { exampleDatasetPath } from '../../src/config/paths';
import * as n from '../../src/http/openapi/negotiation-responses';
import { OPERATIONS } from '../../src/http/openapi/operations';
import * as s from '../../src/http/openapi/service-responses';
import { call, startTestApp, type TestApp } from '../support/app';

const run = promisify(execFile);
/** @redocly/cli, a devDependency: `npm ci` installs it, so a missing binary fails the test. */
const REDOCLY = join(__dirname, '../../node_modules/.bin/redocly');

describe('the OpenAPI document', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ PARLEY_WEBHOOK_ALLOW: '127.0.0.1' });
    await call(app.url, 'POST', '/negotiations/ukraine-2025/events:import', { body: readFileSync(exampleDatasetPath(), 'utf8'), contentType: 'application/x-ndjson' });
  });
  afterAll(() => app.close());

  it('passes redocly lint with its recommended rules: no errors', async () => {
    const document = (await call(app.url, 'GET', '/docs/openapi.json')).body;
    const file = join(mkdtempSync(join(tmpdir(), 'parley-openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const { stdout } = await run(REDOCLY, ['lint', file, '--format=json'], { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } }).catch((e: { stdout: string }) => e);
    const report = JSON.parse(stdout) as { totals: { errors: number }; problems: { ruleId: string; message: string; severity: string }[] };
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it('describes every route with a summary, its parameters and its response bodies', async () => {
    const document = (await call(app.url, 'GET', '/docs/openapi.json')).body;
    const described = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item as object).map((m) => `${m.toUpperCase()} ${path}`));
    expect(described.sort()).toEqual(Object.keys(OPERATIONS).sort());
    const stances = document.paths['/negotiations/{nid}/stances'].get;
    expect(stances.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['at', 'corrections', 'knownAt', 'nid', 'periods', 'publicAt', 'scenario', 'version']);
    expect(stances.responses['200'].content['application/json'].schema.properties.stances.type).toBe('array');
    expect(document.paths['/events'].get.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/health'].get.security).toEqual([]);
    expect(document.components.securitySchemes.bearer.bearerFormat).toBeUndefined();
    expect(Object.keys(document.paths['/negotiations/{nid}/events'].post.requestBody.content['application/json'].examples)).toHaveLength(12);
  });

  // The published schemas are held to real answers: a field the schema lacks is stripped by
  // zod, so the parsed answer would differ from the answer itself.
  it.each<[string, z.ZodType]>([
    ['/negotiations', n.negotiationListSchema],
    ['/negotiations/ukraine-2025', n.negotiationSchema],
    ['/negotiations/ukraine-2025/versions/20', n.versionAnswerSchema],
    ['/negotiations/ukraine-2025/events?limit=3', n.eventsPageSchema],
    ['/negotiations/ukraine-2025/stances', n.stancesAnswerSchema],
    ['/negotiations/ukraine-2025/gaps', n.gapsAnswerSchema],
    ['/negotiations/ukraine-2025/gaps/series?between=us,ukraine&from=2025-04-15&to=2025-04-30', n.seriesAnswerSchema],
    ['/negotiations/ukraine-2025/panel?from=2025-04-20&to=2025-04-26', n.panelAnswerSchema],
    ['/negotiations/ukraine-2025/zones', n.zonesAnswerSchema],
    ['/negotiations/ukraine-2025/outcomes', n.outcomesAnswerSchema],
    ['/negotiations/ukraine-2025/concessions?party=us&toward=ukraine&from=2025-04-24&to=2025-04-30', n.concessionsAnswerSchema],
    ['/negotiations/ukraine-2025/parties/us/history', n.historyAnswerSchema],
    ['/negotiations/ukraine-2025/evidence?at=2025-04-30', n.evidenceAnswerSchema],
    ['/negotiations/ukraine-2025/alert-rules', s.rulesAnswerSchema],
    ['/negotiations/ukraine-2025/alerts', s.alertsAnswerSchema],
    ['/negotiations/ukraine-2025/alerts/deliveries', s.deliveriesAnswerSchema],
    ['/negotiations/ukraine-2025/watch', s.watchAnswerSchema],
    ['/negotiations/ukraine-2025/inbox', s.inboxAnswerSchema],
    ['/sources', s.sourcesAnswerSchema],
    ['/health', s.healthSchema],
    ['/livez', s.livezSchema],
    ['/readyz', s.readyzSchema],
    ['/negotiations/ukraine-2025/outcomes/recorded', n.recordedOutcomesAnswerSchema],
    ['/negotiations/ukraine-2025/backtest?model=baseline', n.backtestAnswerSchema],
    ['/negotiations/ukraine-2025/scenarios', n.scenarioListSchema],
    ['/negotiations/ukraine-2025/scenarios/sample', n.scenarioSchema],
    ['/negotiations/ukraine-2025/scenarios/sample/diff?at=2025-04-30', n.scenarioDiffSchema],
    ['/negotiations/ukraine-2025/stances?at=2025-04-30&scenario=sample', n.stancesAnswerSchema],
    ['/negotiations/ukraine-2025/panel?from=2025-04-28&to=2025-04-30&scenario=sample', n.panelAnswerSchema],
    ['/negotiations/ukraine-2025/parties/us/history?scenario=sample', n.historyAnswerSchema],
  ])('GET %s answers what the document says', async (path, schema) => {
    if (path.includes('scenario')) {
      // A branch with one hypothetical event (409 once it exists: every case shares it).
      if ((await call(app.url, 'POST', '/negotiations/ukraine-2025/scenarios', { json: { name: 'sample', from: '2025-04-27' } })).status === 201) {
        const events = [{ type: 'PositionStated', occurredAt: '2025-04-28T00:00:00Z', data: { party: 'us', issue: 'crimea', value: 50 } }];
        expect((await call(app.url, 'POST', '/negotiations/ukraine-2025/scenarios/sample/events', { json: { events } })).status).toBe(201);
      }
    }
    if (path.endsWith('/alert-rules')) {
      await call(app.url, 'POST', '/negotiations/ukraine-2025/alert-rules', {
        json: { name: 'gap', rule: { kind: 'gap_threshold', a: 'us', b: 'ukraine', threshold: 90, direction: 'up' }, webhook: { url: 'http://127.0.0.1:9/hook' }, alertmanager: { url: 'http://127.0.0.1:9' } },
      });
    }
    if (path.endsWith('/inbox')) await call(app.url, 'POST', '/negotiations/ukraine-2025/news', { json: { items: [{ guid: 'x', title: 'Crimea talks', publishedAt: '2025-04-25' }] } });
    const answer = await call(app.url, 'GET', path);
    expect(answer.status).toBe(200);
    const parsed = schema.safeParse(answer.body);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(answer.body);
  });

  it.each<[string, string, unknown, z.ZodType]>([
    ['POST', '/negotiations/ukraine-2025/events', { events: [{ type: 'PositionWithdrawn', occurredAt: '2025-04-28T00:00:00Z', data: { party: 'us', issue: 'nato-membership' } }] }, n.appendAnswerSchema],
    ['POST', '/feed/tokens', undefined, s.feedTokenSchema],
    ['POST', '/negotiations/ukraine-2025/news', { items: [{ url: 'https://news.example/1', title: 'NATO' }] }, s.newsAnswerSchema],
    ['POST', '/negotiations/ukraine-2025/events', { events: [{ type: 'PositionStated', occurredAt: '2025-04-28T00:00:00Z', data: { party: 'china', issue: 'crimea', value: 1 } }] }, s.errorSchema],
  ])('%s %s answers what the document says', async (method, path, json, schema) => {
    const answer = await call(app.url, method as 'POST', path, json === undefined ? {} : { json });
    const parsed = schema.safeParse(answer.body);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(answer.body);
  });
});
