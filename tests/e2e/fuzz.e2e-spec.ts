import fc from 'fast-check';
import { call, startTestApp, type TestApp } from '../support/app';
import { setup, stated } from '../support/builders';
import { numRuns } from '../support/property';

/** Hostile input, generated: never a 5xx, never a write on a 4xx, never internals in an answer. */
describe('fuzzing the routes (property)', () => {
  let app: TestApp;
  const head = async () => (await call(app.url, 'GET', '/events?limit=1000')).body.events.length as number;
  // Internals: a stack frame (`at fn (file.js:1:2)`), a module path, SQL.
  const clean = (body: unknown) => !/\bat [^"]*\([^"]*:\d+:\d+\)|\.(js|ts):\d+:\d+|node_modules|SELECT |INSERT |syntax error|stack/i.test(JSON.stringify(body));

  beforeAll(async () => {
    app = await startTestApp({ PARLEY_RATE_LIMIT: '0' });
    await call(app.url, 'POST', '/negotiations/fuzz/events', { json: { events: setup() } });
  });
  afterAll(() => app.close());

  const valid = stated('us', 'crimea', 50, '2025-04-17');
  // What broke Parley once (issue 11): lone surrogates, deep nesting, extreme numbers,
  // instants outside years 1000–9999.
  const nested = (depth: number) => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) value = { deeper: value };
    return value;
  };
  const hostile = fc.oneof(
    fc.constantFrom('\ud800', 'a\udfffb', '\udc00\ud800', 'x\u0000y', 1.7e308, -1.7e308, Number.MAX_VALUE, -Number.MIN_VALUE, 1e16, -1e16),
    fc.constantFrom('0000-01-01T00:00:00Z', '0001-01-01T00:30:00+01:00', '9999-12-31T23:30:00-01:00', '0999-12-31', '+010000-01-01T00:00:00Z'),
    fc.integer({ min: 60, max: 1500 }).map(nested),
  );
  // Mutations of a valid event: any field replaced by anything JSON can hold.
  const mutated = fc.record({
    field: fc.constantFrom('type', 'occurredAt', 'data', 'id', 'source', 'extra'),
    inner: fc.constantFrom('party', 'issue', 'value', 'salience', 'summary', 'quote', 'confidence', 'extra', 'data', 'occurredAt', 'target'),
    value: fc.oneof(fc.jsonValue(), fc.string(), fc.double(), hostile, fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'bad' : d.toISOString()))),
    nested: fc.boolean(),
  });

  it('answers any write body with 2xx or a 4xx that wrote nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.array(mutated, { minLength: 1, maxLength: 3 })), async (input) => {
        let body: unknown = input;
        if (Array.isArray(input) && input.every((m) => m && typeof m === 'object' && 'field' in (m as object))) {
          body = {
            events: (input as { field: string; inner: string; value: unknown; nested: boolean }[]).map((m) =>
              m.nested ? { ...valid, data: { ...valid.data, [m.inner]: m.value } } : { ...valid, [m.field]: m.value },
            ),
          };
        }
        const before = await head();
        const answer = await call(app.url, 'POST', '/negotiations/fuzz/events', { json: body });
        expect(answer.status).toBeLessThan(500);
        expect(clean(answer.body)).toBe(true);
        if (answer.status >= 400) expect(await head()).toBe(before);
        // Whatever was accepted, every reader keeps answering (one event once wedged them all).
        expect((await call(app.url, 'GET', '/negotiations/fuzz/stances')).status).toBe(200);
      }),
      { numRuns: numRuns(60) },
    );
  });

  it('answers any NDJSON file with 2xx or a 4xx that wrote nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.constant(JSON.stringify(valid)), hostile.map((h) => JSON.stringify({ ...valid, data: { ...valid.data, summary: h } })), hostile.map((h) => JSON.stringify({ ...valid, occurredAt: h }))), { maxLength: 5 }), async (lines) => {
        const before = await head();
        const answer = await call(app.url, 'POST', '/negotiations/fuzz/events:import', { body: lines.join('\n'), contentType: 'application/x-ndjson' });
        expect(answer.status).toBeLessThan(500);
        expect(clean(answer.body)).toBe(true);
        if (answer.status >= 400) expect(await head()).toBe(before);
      }),
      { numRuns: numRuns(60) },
    );
  });

  it('answers any query string on the read routes without a 5xx', async () => {
    const param = fc.oneof(fc.string(), fc.date().map((d) => (Number.isNaN(d.getTime()) ? '' : d.toISOString())), fc.constantFrom('2025-02-30', 'P1D', 'us,ukraine', 'us,us', '-1', '1e309', '0000-01-01', '0000-01-01T00:00:00Z', '9999-12-31T23:30:00-01:00', '\ud800', '1.7e308'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('stances', 'gaps', 'gaps/series', 'zones', 'outcomes', 'concessions', 'events'), fc.dictionary(fc.constantFrom('at', 'knownAt', 'between', 'from', 'to', 'step', 'after', 'limit', 'party', 'toward'), param), async (route, query) => {
        const answer = await call(app.url, 'GET', `/negotiations/fuzz/${route}?${new URLSearchParams(query)}`);
        expect(answer.status).toBeLessThan(500);
        expect(clean(answer.body)).toBe(true);
      }),
      { numRuns: numRuns(60) },
    );
  });
});
