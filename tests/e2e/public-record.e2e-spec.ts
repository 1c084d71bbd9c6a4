import { call, startTestApp, type TestApp } from '../support/app';
import { issue, opened, party, stated } from '../support/builders';

/** A report published on `day`. */
const published = (day: string) => ({ source: { publisher: 'Wire', publishedAt: day } });

/**
 * What was public then (issue 30, items 5 and 6). By the contract, `publicAt` asks which reports
 * were out, and corrections apply as known at knownAt: a correction published later gives the
 * earlier date hindsight. `corrections=public` counts an amendment only once its own report was
 * out; `vintage=published` plots each point of a series as public on its own date.
 */
describe('what was public then: corrections with a publication date, and an as-published series', () => {
  let app: TestApp;
  const get = async (path: string) => {
    const answer = await call(app.url, 'GET', `/negotiations/public-record${path}`);
    expect([path, answer.status]).toEqual([path, 200]);
    return answer.body;
  };
  const crimea = async (query: string) =>
    Object.fromEntries((await get(`/stances?${query}`)).stances.filter((s: { issue: string }) => s.issue === 'crimea').map((s: { party: string; value: number }) => [s.party, s.value]));
  let usId: string;

  beforeAll(async () => {
    app = await startTestApp();
    const setup = [opened('Public record', '2025-04-01'), party('us', {}, '2025-04-01'), party('ukraine', {}, '2025-04-01'), issue('crimea', undefined, '2025-04-01')];
    const first = [
      { ...stated('us', 'crimea', 100, '2025-04-17'), ...published('2025-04-17') },
      { ...stated('ukraine', 'crimea', 0, '2025-04-17'), ...published('2025-04-17') },
      // Reported on the 22nd, about the 19th.
      { ...stated('ukraine', 'crimea', 10, '2025-04-19'), ...published('2025-04-22') },
    ];
    const answer = await call(app.url, 'POST', '/negotiations/public-record/events', { json: { events: [...setup, ...first] } });
    expect(answer.status).toBe(201);
    usId = answer.body.events[4].id;
    // On 25 April a report corrects the US position of the 17th to 50; on the 28th one retracts Ukraine's of the 19th.
    const ukraineId = answer.body.events[6].id;
    const amendments = [
      { type: 'EventCorrected', occurredAt: '2025-04-25T12:00:00Z', data: { target: usId, data: { party: 'us', issue: 'crimea', value: 50 } }, ...published('2025-04-25') },
      { type: 'EventRetracted', occurredAt: '2025-04-28T12:00:00Z', data: { target: ukraineId, reason: 'misreported' }, ...published('2025-04-28') },
    ];
    expect((await call(app.url, 'POST', '/negotiations/public-record/events', { json: { events: amendments } })).status).toBe(201);
  });
  afterAll(() => app.close());

  it('by default (the contract) applies a correction to dates before it was published: hindsight', async () => {
    expect(await crimea('at=2025-04-20&publicAt=2025-04-20')).toEqual({ us: 50, ukraine: 0 });
    expect((await get('/stances?at=2025-04-20&publicAt=2025-04-20')).corrections).toBe('known');
  });

  it('with corrections=public counts a correction or retraction only once its own report was out', async () => {
    expect(await crimea('at=2025-04-20&publicAt=2025-04-20&corrections=public')).toEqual({ us: 100, ukraine: 0 });
    // The 22nd: Ukraine's report of the 19th is out; the US correction is not yet.
    expect(await crimea('at=2025-04-22&publicAt=2025-04-22&corrections=public')).toEqual({ us: 100, ukraine: 10 });
    // The 26th: the correction is out; the retraction (the 28th) is not.
    expect(await crimea('at=2025-04-26&publicAt=2025-04-26&corrections=public')).toEqual({ us: 50, ukraine: 10 });
    expect(await crimea('at=2025-04-29&publicAt=2025-04-29&corrections=public')).toEqual({ us: 50, ukraine: 0 });
    const gaps = await get('/gaps?at=2025-04-22&publicAt=2025-04-22&corrections=public');
    expect([gaps.corrections, gaps.pairs[0].overall]).toEqual(['public', 90]);
    const bad = await call(app.url, 'GET', '/negotiations/public-record/stances?corrections=public');
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['corrections']);
  });

  it('plots an as-published series: each point as public on its own date, equal to /stances with publicAt = at', async () => {
    const final = await get('/gaps/series?between=us,ukraine&from=2025-04-16&to=2025-04-30&step=P1D');
    const vintage = await get('/gaps/series?between=us,ukraine&from=2025-04-16&to=2025-04-30&step=P1D&vintage=published&corrections=public');
    expect([final.vintage, vintage.vintage]).toEqual(['final', 'published']);
    for (const point of vintage.points) {
      const day = point.at.slice(0, 10);
      const held = await crimea(`at=${day}&publicAt=${day}&corrections=public`);
      const expected = held.us === undefined || held.ukraine === undefined ? null : Math.abs(held.us - held.ukraine);
      expect([day, point.overall]).toEqual([day, expected]);
    }
    // The final series knows, on the 20th, the correction of the 25th and the retraction of the 28th.
    const on20 = (points: { at: string; overall: number | null }[]) => points.find((p) => p.at.startsWith('2025-04-20'))!.overall;
    expect([on20(final.points), on20(vintage.points)]).toEqual([50, 100]);
    const bad = await call(app.url, 'GET', '/negotiations/public-record/gaps/series?between=us,ukraine&from=2025-04-16&to=2025-04-30&vintage=published&publicAt=2025-04-20');
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['vintage']);
  });
});
