import fc from 'fast-check';
import { call, startTestApp, type TestApp } from '../support/app';
import { setup, stated } from '../support/builders';
import { numRuns } from '../support/property';

/** Hostile input, generated: never a 5xx, never a write on a 4xx, never internals in an answer. */
describe('fuzzing the routes (property)', () => {
  let app: TestApp;
  const head = async () => (await call(app.url, 'GET', '/events?limit=1000')).body.events.length as number;
  const clean = (body: unknown) => !/\bat .+:\d+:\d+|node_modules|SELECT |INSERT |syntax error|stack/i.test(JSON.stringify(body));

  beforeAll(async () => {
    app = await startTestApp({ PARLEY_RATE_LIMIT: '0' });
    await call(app.url, 'POST', '/negotiations/fuzz/events', { json: { events: setup() } });
  });
  afterAll(() => app.close());

  const valid = stated('us', 'crimea', 50, '2025-04-17');
  // Mutations of a valid event: any field replaced by anything JSON can hold.
  const mutated = fc.record({
    field: fc.constantFrom('type', 'occurredAt', 'data', 'id', 'source', 'extra'),
    inner: fc.constantFrom('party', 'issue', 'value', 'salience', 'summary', 'quote', 'confidence', 'extra'),
    value: fc.oneof(fc.jsonValue(), fc.string(), fc.double(), fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'bad' : d.toISOString()))),
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
      }),
      { numRuns: numRuns(60) },
    );
  });

  it('answers any NDJSON file with 2xx or a 4xx that wrote nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.constant(JSON.stringify(valid))), { maxLength: 5 }), async (lines) => {
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
    const param = fc.oneof(fc.string(), fc.date().map((d) => (Number.isNaN(d.getTime()) ? '' : d.toISOString())), fc.constantFrom('2025-02-30', 'P1D', 'us,ukraine', 'us,us', '-1', '1e309'));
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
