import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { exampleDatasetPath } from '../../../src/config/paths';
import { call } from '../../support/app';
import { setup, stated } from '../../support/builders';

type App = { url: string; close(): Promise<void> };

/** Answers worked out by hand from examples/ukraine-2025 (see its README for each value). */
export function asOfBehaviour(start: () => Promise<App>) {
  let app: App;
  const get = (path: string) => call(app.url, 'GET', path);
  const stances = async (nid: string, query: string) => (await get(`/negotiations/${nid}/stances?${query}`)).body;
  const crimea = async (query: string) =>
    Object.fromEntries(
      (await stances('ukraine-2025', query)).stances
        .filter((s: { issue: string }) => s.issue === 'crimea')
        .map((s: { party: string; value: number }) => [s.party, s.value]),
    );

  beforeAll(async () => {
    app = await start();
    const imported = await call(app.url, 'POST', '/negotiations/ukraine-2025/events:import', {
      body: readFileSync(exampleDatasetPath(), 'utf8'),
      contentType: 'application/x-ndjson',
    });
    expect(imported.status).toBe(201);
  });
  afterAll(() => app.close());

  describe('GET /negotiations/{nid}/stances', () => {
    it('has no US or Ukrainian stance on Crimea before the Paris meeting (16 Apr)', async () => {
      expect(await crimea('at=2025-04-16')).toEqual({});
    });

    it('has the US framework between Paris and London (20 Apr), and nothing from Ukraine yet', async () => {
      expect(await crimea('at=2025-04-20')).toEqual({ us: 100 });
    });

    it('has both texts after London (24 Apr)', async () => {
      expect(await crimea('at=2025-04-24')).toEqual({ us: 100, ukraine: 0, europe: 0 });
    });

    it("gives the stance's event, date, salience and source", async () => {
      const now = await stances('ukraine-2025', '');
      const us = now.stances.find((s: { party: string; issue: string }) => s.party === 'us' && s.issue === 'crimea');
      expect(us).toMatchObject({
        value: 100,
        salience: 0.9,
        // Coded to the day (no time is invented): in force from the start of 25 April, UTC.
        since: '2025-04-25T00:00:00.000Z',
        sincePrecision: 'day',
        basis: 'quoted',
        uncertainty: { low: 50, high: 100 },
        source: { publisher: 'Reuters', publishedAt: '2025-04-25' },
      });
      const events = (await get('/negotiations/ukraine-2025/events?limit=100')).body.events;
      const trump = events.find((e: { data: { quote?: string } }) => e.data.quote === 'Crimea will stay with Russia');
      expect(us.eventId).toBe(trump.id);
      // A proposal's positions carry the salience coded on them (the three key disputes, 0.8),
      // and none elsewhere: europe's stances on compensation and sequencing carry none.
      expect(now.stances.filter((s: { party: string }) => s.party === 'europe').map((s: { issue: string; salience: number | null }) => [s.issue, s.salience])).toEqual([
        ['ceasefire-sequencing', null],
        ['crimea', 0.8],
        ['foreign-forces', 0.8],
        ['occupied-territories', 0.8],
        ['sanctions-relief', 0.8],
        ['security-guarantees', 0.8],
        ['war-compensation', null],
      ]);
    });

    it('echoes at and knownAt, dates meaning the end of that UTC day', async () => {
      const answer = await stances('ukraine-2025', 'at=2025-04-20&knownAt=2030-01-01T00:00:00%2B02:00');
      expect(answer.at).toBe('2025-04-20T23:59:59.999Z');
      expect(answer.knownAt).toBe('2029-12-31T22:00:00.000Z');
    });

    it('knows nothing at a knownAt before the data was recorded', async () => {
      expect((await stances('ukraine-2025', 'knownAt=2020-01-01')).stances).toEqual([]);
    });

    it('answers 404 for an unknown negotiation and 400 for a bad date', async () => {
      expect((await get('/negotiations/nowhere/stances')).status).toBe(404);
      const bad = await get('/negotiations/ukraine-2025/stances?at=2025-02-30');
      expect(bad.status).toBe(400);
      expect(bad.body.issues[0].path).toEqual(['at']);
    });
  });

  describe('publicAt: what was public on a date', () => {
    it('counts a position only once its report was published, and echoes publicAt', async () => {
      // The example cites the Reuters report of 25 April for the Paris and London texts.
      const before = (await get('/negotiations/ukraine-2025/stances?at=2025-04-24&publicAt=2025-04-20')).body;
      expect(before.publicAt).toBe('2025-04-20T23:59:59.999Z');
      expect(before.stances.filter((s: { issue: string }) => s.issue === 'crimea')).toEqual([]);
      const after = (await get('/negotiations/ukraine-2025/stances?at=2025-04-24&publicAt=2025-04-25')).body;
      expect(after.stances.filter((s: { issue: string }) => s.issue === 'crimea').map((s: { party: string }) => s.party)).toEqual(['europe', 'ukraine', 'us']);
      expect((await get('/negotiations/ukraine-2025/stances?at=2025-04-24')).body.publicAt).toBeNull();
    });

    it('falls back to recordedAt for a report without a publication date', async () => {
      const n = `public-${randomUUID().slice(0, 8)}`;
      await call(app.url, 'POST', `/negotiations/${n}/events`, { json: { events: [...setup(), stated('us', 'crimea', 40, '2025-04-21')] } });
      expect((await get(`/negotiations/${n}/stances?publicAt=2025-04-22`)).body.stances).toEqual([]);
      expect((await get(`/negotiations/${n}/stances?publicAt=${encodeURIComponent(new Date().toISOString())}`)).body.stances).toHaveLength(1);
      const series = (await get(`/negotiations/${n}/gaps/series?between=us,ukraine&from=2025-04-20&to=2025-04-22&publicAt=2025-04-22`)).body;
      expect(series.publicAt).toBe('2025-04-22T23:59:59.999Z');
    });
  });

  describe('uncertainty, basis and date precision', () => {
    it('returns what was coded with each stance, and the range of each gap', async () => {
      const n = `detail-${randomUUID().slice(0, 8)}`;
      const written = await call(app.url, 'POST', `/negotiations/${n}/events`, {
        json: {
          events: [
            ...setup(),
            { ...stated('us', 'crimea', 80, '2025-04-21T00:00:00Z', { confidence: 0.6, quote: 'we will see', basis: 'quoted', uncertainty: { low: 70, high: 90 } }), datePrecision: 'week' },
            { type: 'ProposalTabled', occurredAt: '2025-04-23T00:00:00Z', datePrecision: 'day', data: { proposal: 'p', title: 'P', sponsors: ['ukraine'], positions: [{ issue: 'crimea', value: 10, basis: 'inferred', uncertainty: { low: 0, high: 20 } }] } },
          ],
        },
      });
      expect(written.status).toBe(201);
      const { stances } = (await get(`/negotiations/${n}/stances?at=2025-04-24`)).body;
      expect(stances).toEqual([
        expect.objectContaining({ party: 'ukraine', value: 10, sincePrecision: 'day', basis: 'inferred', uncertainty: { low: 0, high: 20 }, confidence: null, quote: null }),
        expect.objectContaining({ party: 'us', value: 80, since: '2025-04-21T00:00:00.000Z', sincePrecision: 'week', confidence: 0.6, quote: 'we will see', basis: 'quoted', uncertainty: { low: 70, high: 90 } }),
      ]);
      const { pairs } = (await get(`/negotiations/${n}/gaps?between=us,ukraine&at=2025-04-24`)).body;
      // us in [70, 90], ukraine in [0, 20]: at least 50 apart, at most 90.
      expect(pairs[0].issues[0]).toEqual({ issue: 'crimea', gap: 70, a: 80, b: 10, range: { low: 50, high: 90 }, weight: 0.5 });
      expect(pairs[0].overallRange).toEqual({ low: 50, high: 90 });
      const events = (await get(`/negotiations/${n}/events`)).body.events;
      expect(events.slice(-2).map((e: { datePrecision: string }) => e.datePrecision)).toEqual(['week', 'day']);
    });

    it('refuses a range that excludes its value (400) or leaves the scale (422)', async () => {
      const n = `detail-bad-${randomUUID().slice(0, 8)}`;
      await call(app.url, 'POST', `/negotiations/${n}/events`, { json: { events: setup() } });
      const excludes = await call(app.url, 'POST', `/negotiations/${n}/events`, { json: { events: [stated('us', 'crimea', 80, '2025-04-21', { uncertainty: { low: 0, high: 50 } })] } });
      expect(excludes.status).toBe(400);
      expect(excludes.body.issues[0].path).toEqual(['events', 0, 'data', 'uncertainty']);
      const off = await call(app.url, 'POST', `/negotiations/${n}/events`, { json: { events: [stated('us', 'crimea', 80, '2025-04-21', { uncertainty: { low: 60, high: 120 } })] } });
      expect(off.status).toBe(422);
      expect(off.body.issues[0].path).toEqual(['events', 0, 'data', 'uncertainty', 'high']);
      const badPrecision = await call(app.url, 'POST', `/negotiations/${n}/events`, { json: { events: [{ ...stated('us', 'crimea', 80, '2025-04-21'), datePrecision: 'year' }] } });
      expect(badPrecision.status).toBe(400);
      expect(badPrecision.body.issues[0].path).toEqual(['events', 0, 'datePrecision']);
    });
  });

  describe('GET /negotiations/{nid}/gaps', () => {
    it('weights by salience, counting a missing salience as 0.5 (US–Ukraine now)', async () => {
      const { pairs } = (await get('/negotiations/ukraine-2025/gaps?between=us,ukraine')).body;
      // crimea weighs (0.9 + 0.8) / 2 = 0.85 (Trump's 0.9, the London text's 0.8); occupied
      // territories, sanctions and security guarantees, key disputes, 0.8; ceasefire sequencing,
      // coded by neither, the neutral 0.5: 279 / 3.75 = 74.4.
      expect(pairs[0].overall).toBeCloseTo((100 * 0.85 + 100 * 0.5 + 0.8 * (50 + 80 + 50)) / 3.75, 10);
      expect(pairs[0].coverage).toBe(5 / 8);
      // Of the ten saliences weighing the five shared issues, the two on sequencing were not coded.
      expect(pairs[0].imputed).toEqual({ salience: 2 });
      // Two US values carry a range (50–100: the inferred sequencing, Trump's words on Crimea)
      // against Ukraine's exact 0: their gap lies between 50 and 100. The others are exact.
      const exact = (gap: number) => ({ low: gap, high: gap });
      expect(pairs[0].issues).toEqual([
        { issue: 'ceasefire-sequencing', gap: 100, a: 100, b: 0, range: { low: 50, high: 100 }, weight: 0.5 },
        { issue: 'crimea', gap: 100, a: 100, b: 0, range: { low: 50, high: 100 }, weight: expect.closeTo(0.85, 10) },
        { issue: 'occupied-territories', gap: 50, a: 50, b: 0, range: exact(50), weight: 0.8 },
        { issue: 'sanctions-relief', gap: 80, a: 100, b: 20, range: exact(80), weight: 0.8 },
        { issue: 'security-guarantees', gap: 50, a: 50, b: 0, range: exact(50), weight: 0.8 },
      ]);
      expect(pairs[0].overallRange.low).toBeCloseTo((50 * 0.85 + 50 * 0.5 + 0.8 * (50 + 80 + 50)) / 3.75, 10);
      expect(pairs[0].overallRange.high).toBeCloseTo(pairs[0].overall, 10);
    });

    it('weighs the key disputes by the texts\' salience before Trump spoke (24 Apr)', async () => {
      const { pairs } = (await get('/negotiations/ukraine-2025/gaps?between=us,ukraine&at=2025-04-24')).body;
      // Crimea, occupied territories, sanctions, security guarantees at 0.8; sequencing 0.5.
      expect(pairs[0].overall).toBeCloseTo((0.8 * (100 + 50 + 80 + 50) + 0.5 * 100) / 3.7, 10);
    });

    it('has a null overall and zero coverage for a party that stated nothing (Russia)', async () => {
      const { pairs } = (await get('/negotiations/ukraine-2025/gaps?between=us,russia')).body;
      expect(pairs).toEqual([{ a: 'us', b: 'russia', overall: null, coverage: 0, issues: [], overallRange: null, imputed: { salience: 0 } }]);
    });

    it('lists every pair alphabetically without between, and the given order with it', async () => {
      const all = (await get('/negotiations/ukraine-2025/gaps')).body.pairs.map((p: { a: string; b: string }) => `${p.a}-${p.b}`);
      expect(all).toEqual(['europe-russia', 'europe-ukraine', 'europe-us', 'russia-ukraine', 'russia-us', 'ukraine-us']);
      const chosen = (await get('/negotiations/ukraine-2025/gaps?between=us,ukraine,europe')).body.pairs;
      expect(chosen.map((p: { a: string; b: string }) => `${p.a}-${p.b}`)).toEqual(['us-ukraine', 'us-europe', 'ukraine-europe']);
      expect(chosen[2]).toMatchObject({ overall: 0, coverage: 7 / 8 });
    });

    it('answers 400 for an unknown party or a party named twice', async () => {
      const unknown = await get('/negotiations/ukraine-2025/gaps?between=us,china');
      expect(unknown.status).toBe(400);
      expect(unknown.body.issues[0].path).toEqual(['between', 1]);
      expect((await get('/negotiations/ukraine-2025/gaps?between=us,us')).status).toBe(400);
    });
  });

  describe('GET /negotiations/{nid}/gaps/series', () => {
    it('follows the gap day by day through the April talks', async () => {
      const { points } = (await get('/negotiations/ukraine-2025/gaps/series?between=us,ukraine&from=2025-04-16&to=2025-04-26&step=P1D')).body;
      expect(points).toHaveLength(11);
      expect(points[0]).toEqual({ at: '2025-04-16T23:59:59.999Z', overall: null, issues: {}, ranges: {}, overallRange: null, imputed: { salience: 0 } });
      expect(points.slice(0, 7).every((p: { overall: null }) => p.overall === null)).toBe(true);
      expect(points[7].overall).toBeCloseTo(274 / 3.7, 10); // 23 Apr: London
      expect(points[9].overall).toBeCloseTo(279 / 3.75, 10); // 25 Apr: Trump's salience
      expect(points[9].issues.crimea).toBe(100);
    });

    it('agrees with the gaps route at every point', async () => {
      const { points } = (await get('/negotiations/ukraine-2025/gaps/series?between=us,europe&from=2025-04-17T00:00:00Z&to=2025-04-26T00:00:00Z&step=PT12H')).body;
      for (const point of points) {
        const { pairs } = (await get(`/negotiations/ukraine-2025/gaps?between=us,europe&at=${encodeURIComponent(point.at)}`)).body;
        expect(point.overall).toEqual(pairs[0].overall);
      }
    });

    it('refuses more than 10,000 points and a pair that is not two parties', async () => {
      const many = await get('/negotiations/ukraine-2025/gaps/series?between=us,ukraine&from=2000-01-01&to=2030-01-01&step=PT1H');
      expect(many.status).toBe(400);
      expect(many.body.issues[0].path).toEqual(['step']);
      expect((await get('/negotiations/ukraine-2025/gaps/series?between=us,ukraine,europe&from=2025-04-16&to=2025-04-20')).status).toBe(400);
    });
  });

  describe('bitemporal answers', () => {
    const nid = `bitemporal-${randomUUID().slice(0, 8)}`;
    const post = async (events: unknown[]) => {
      const answer = await call(app.url, 'POST', `/negotiations/${nid}/events`, { json: { events } });
      expect(answer.status).toBe(201);
      const all = (await get(`/negotiations/${nid}/events?limit=1000`)).body.events;
      const recordedAt: string = all[all.length - 1].recordedAt;
      // The next write must be recorded strictly later: wait for the clock, not a fixed time.
      while (Date.now() <= Date.parse(recordedAt) + 1) await new Promise((r) => setImmediate(r));
      return { recordedAt, ids: answer.body.events.map((e: { id: string }) => e.id) as string[] };
    };
    const valueAt = async (at: string, knownAt: string) => {
      const { stances: list } = await stances(nid, `at=${encodeURIComponent(at)}&knownAt=${encodeURIComponent(knownAt)}`);
      return list.find((s: { party: string; issue: string }) => s.party === 'us' && s.issue === 'crimea')?.value ?? null;
    };

    it('applies late news, corrections and retractions from their recording on, never before', async () => {
      await post(setup());
      const first = await post([stated('us', 'crimea', 50, '2025-04-10')]);
      const late = await post([stated('us', 'crimea', 80, '2025-04-05')]);
      const target = first.ids[0]!;
      const corrected = await post([
        { type: 'EventCorrected', occurredAt: '2025-04-11T00:00:00Z', data: { target, data: { party: 'us', issue: 'crimea', value: 60 } } },
      ]);
      const retracted = await post([{ type: 'EventRetracted', occurredAt: '2025-04-12T00:00:00Z', data: { target, reason: 'misreported' } }]);

      // Late news: known from its recording on, and only where its valid time reaches.
      expect(await valueAt('2025-04-07', first.recordedAt)).toBeNull();
      expect(await valueAt('2025-04-07', late.recordedAt)).toBe(80);
      expect(await valueAt('2025-04-20', late.recordedAt)).toBe(50);
      // The correction replaces the value from its recordedAt on.
      expect(await valueAt('2025-04-20', corrected.recordedAt)).toBe(60);
      expect(await valueAt('2025-04-20', late.recordedAt)).toBe(50);
      // The retraction makes the statement never taken: the late news shows through.
      expect(await valueAt('2025-04-20', retracted.recordedAt)).toBe(80);
      expect(await valueAt('2025-04-20', corrected.recordedAt)).toBe(60);
    });

    it('resolves two events with the same occurredAt by global position', async () => {
      await post([stated('us', 'crimea', 10, '2025-04-15'), stated('us', 'crimea', 20, '2025-04-15')]);
      expect(await valueAt('2025-04-15', new Date().toISOString())).toBe(20);
    });

    it('moves an event in valid time when a correction gives a new occurredAt', async () => {
      const n = `moved-${randomUUID().slice(0, 8)}`;
      const setupAnswer = await call(app.url, 'POST', `/negotiations/${n}/events`, { json: { events: [...setup(), stated('ukraine', 'crimea', 5, '2025-04-20')] } });
      const target = setupAnswer.body.events[6].id;
      await call(app.url, 'POST', `/negotiations/${n}/events`, {
        json: { events: [{ type: 'EventCorrected', occurredAt: '2025-04-21T00:00:00Z', data: { target, occurredAt: '2025-04-10T00:00:00Z', data: { party: 'ukraine', issue: 'crimea', value: 5 } } }] },
      });
      const at15 = (await stances(n, 'at=2025-04-15')).stances;
      expect(at15).toEqual([expect.objectContaining({ party: 'ukraine', value: 5, since: '2025-04-10T00:00:00.000Z' })]);
    });
  });

  describe('analyses beyond the contract', () => {
    it('computes the compromise outcome, weighting by capability × salience', async () => {
      const { outcomes } = (await get('/negotiations/ukraine-2025/outcomes')).body;
      const crimeaOutcome = outcomes.find((o: { issue: string }) => o.issue === 'crimea');
      // No capability coded (all 1); us 100 at salience 0.9, ukraine and europe 0 at 0.8: 90 / 2.5.
      expect(crimeaOutcome.outcome).toBeCloseTo(90 / 2.5, 10);
      expect(crimeaOutcome.parties.find((p: { party: string }) => p.party === 'us')).toMatchObject({ distance: expect.closeTo(64, 10), imputed: ['capability'] });
      // The example codes no status quo: the Nash bargaining model has no outcome, and says why.
      const nash = (await get('/negotiations/ukraine-2025/outcomes?model=nash')).body.outcomes;
      expect(nash.every((o: { outcome: number | null; warnings: { code: string }[] }) => o.outcome === null && o.warnings[0]!.code === 'no_status_quo')).toBe(true);
      // Russia holds no position on Crimea: the outcome is the others' compromise, and says so.
      expect(crimeaOutcome.warnings).toEqual([expect.objectContaining({ party: 'russia', code: 'no_position' })]);
    });

    it("finds the zone of agreement from red lines, or the shortfall", async () => {
      const n = `zones-${randomUUID().slice(0, 8)}`;
      await call(app.url, 'POST', `/negotiations/${n}/events`, {
        json: {
          events: [
            ...setup(),
            { type: 'RedLineDeclared', occurredAt: '2025-04-10T00:00:00Z', data: { party: 'russia', issue: 'crimea', acceptable: { min: 70 } } },
            { type: 'RedLineDeclared', occurredAt: '2025-04-10T00:00:00Z', data: { party: 'us', issue: 'crimea', acceptable: { min: 40, max: 90 } } },
            { type: 'RedLineDeclared', occurredAt: '2025-04-11T00:00:00Z', data: { party: 'ukraine', issue: 'crimea', acceptable: { max: 10 } } },
          ],
        },
      });
      const open = (await get(`/negotiations/${n}/zones?between=russia,us&at=2025-04-10`)).body.zones;
      expect(open).toEqual([expect.objectContaining({ issue: 'crimea', z: 20, zone: { from: 70, to: 90 }, shortfall: null })]);
      const closed = (await get(`/negotiations/${n}/zones?between=russia,ukraine&at=2025-04-11`)).body.zones;
      expect(closed).toEqual([expect.objectContaining({ issue: 'crimea', z: -60, zone: null, shortfall: 60 })]);
    });

    it('measures a concession against the other side’s starting position', async () => {
      const n = `concession-${randomUUID().slice(0, 8)}`;
      await call(app.url, 'POST', `/negotiations/${n}/events`, {
        json: { events: [...setup(), stated('us', 'crimea', 80, '2025-04-01'), stated('ukraine', 'crimea', 20, '2025-04-01'), stated('us', 'crimea', 60, '2025-04-05'), stated('ukraine', 'crimea', 0, '2025-04-05')] },
      });
      const answer = (await get(`/negotiations/${n}/concessions?party=us&toward=ukraine&from=2025-04-02&to=2025-04-06`)).body;
      expect(answer.issues).toEqual([{ issue: 'crimea', concession: 20, from: { a: 80, b: 20 }, to: { a: 60 } }]);
      expect(answer.mean).toBe(20);
    });

    it('names the parameter an unknown party came from', async () => {
      const concession = await get('/negotiations/ukraine-2025/concessions?party=china&toward=ukraine&from=2025-04-02&to=2025-04-06');
      expect(concession.status).toBe(400);
      expect(concession.body.issues).toEqual([{ path: ['party'], message: 'Unknown party "china"' }]);
      const toward = await get('/negotiations/ukraine-2025/concessions?party=us&toward=china&from=2025-04-02&to=2025-04-06');
      expect(toward.body.issues).toEqual([{ path: ['toward'], message: 'Unknown party "china"' }]);
      const history = await get('/negotiations/ukraine-2025/parties/china/history');
      expect(history.body.issues).toEqual([{ path: ['party'], message: 'Unknown party "china"' }]);
      const between = await get('/negotiations/ukraine-2025/gaps?between=us,china');
      expect(between.body.issues).toEqual([{ path: ['between', 1], message: 'Unknown party "china"' }]);
    });

    it("lists a party's history on an issue with sources", async () => {
      const { changes } = (await get('/negotiations/ukraine-2025/parties/us/history?issue=crimea')).body;
      expect(changes.map((c: { value: number; occurredAt: string }) => [c.value, c.occurredAt])).toEqual([
        [100, '2025-04-17T00:00:00.000Z'],
        [100, '2025-04-25T00:00:00.000Z'],
      ]);
      expect(changes[0].source.publisher).toBe('Reuters');
    });
  });

  describe('GET /negotiations/{nid}', () => {
    it('lists parties, issues with labelled scales, and red lines', async () => {
      const details = (await get('/negotiations/ukraine-2025')).body;
      expect(details.version).toBe(20);
      expect(details.issues).toHaveLength(8);
      expect(details.issues[0]).toEqual({
        issue: 'crimea',
        title: 'Crimea',
        scale: { min: 0, max: 100, labels: { '0': 'Ukrainian; Russian claims not acknowledged', '50': 'Russian control accepted de facto, not recognised', '100': 'Russian, recognised de jure' } },
        keywords: [],
        statusQuo: null,
      });
      expect(details.redLines).toEqual([expect.objectContaining({ party: 'russia', issue: 'foreign-forces', min: 100, max: null })]);
      const before = (await get('/negotiations/ukraine-2025?knownAt=2020-01-01')).body;
      expect(before).toMatchObject({ version: 0, parties: [], issues: [], redLines: [] });
    });
  });
}
