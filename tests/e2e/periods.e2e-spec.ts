import { call, startTestApp, type TestApp } from '../support/app';
import { issue, opened, party, stated } from '../support/builders';

/**
 * Week and month precision (issue 30, item 4). By the contract's rule an event known only to a
 * period counts from the period's start, so a statement of "the week of 5 May" is visible at
 * 5 May, before it may have happened. `periods=end` counts it from the period's end instead.
 */
describe('events known to a week or a month, counted from the start or the end of their period', () => {
  let app: TestApp;
  const get = async (path: string) => {
    const answer = await call(app.url, 'GET', `/negotiations/periods${path}`);
    expect([path, answer.status]).toEqual([path, 200]);
    return answer.body;
  };
  const crimea = async (query: string) =>
    Object.fromEntries((await get(`/stances?${query}`)).stances.filter((s: { issue: string }) => s.issue === 'crimea').map((s: { party: string; value: number }) => [s.party, s.value]));

  beforeAll(async () => {
    app = await startTestApp();
    const events = [
      opened('Periods', '2025-04-01'),
      party('us', {}, '2025-04-01'),
      party('ukraine', {}, '2025-04-01'),
      issue('crimea', undefined, '2025-04-01'),
      stated('us', 'crimea', 40, '2025-05-01T10:00:00Z'),
      // "In the week of 5 May" (a Monday): some day from 5 to 11 May.
      { ...stated('us', 'crimea', 80, '2025-05-05T00:00:00Z'), datePrecision: 'week' },
      // "In May".
      { ...stated('ukraine', 'crimea', 10, '2025-05-01T00:00:00Z'), datePrecision: 'month' },
      // "On 8 May" (the day known, not the hour).
      { ...stated('ukraine', 'crimea', 20, '2025-05-08T00:00:00Z'), datePrecision: 'day' },
    ];
    expect((await call(app.url, 'POST', '/negotiations/periods/events', { json: { events } })).status).toBe(201);
  });
  afterAll(() => app.close());

  it('by default (the contract) counts a period from its start: the week is seen on its first day, the month on the 1st', async () => {
    expect(await crimea('at=2025-05-05')).toEqual({ us: 80, ukraine: 10 });
    expect((await get('/stances?at=2025-05-05')).periods).toBe('start');
  });

  it('with periods=end counts each from the last instant of its period, and says so', async () => {
    // 5 May: only the 1 May statement (an instant) surely happened.
    expect(await crimea('at=2025-05-05&periods=end')).toEqual({ us: 40 });
    expect(await crimea('at=2025-05-10&periods=end')).toEqual({ us: 40, ukraine: 20 });
    // The week ends on 11 May (23:59:59.999Z): from then the week's statement holds.
    expect(await crimea('at=2025-05-11T23:59:59.998Z&periods=end')).toEqual({ us: 40, ukraine: 20 });
    expect(await crimea('at=2025-05-11&periods=end')).toEqual({ us: 80, ukraine: 20 });
    // The month ends on 31 May: in valid time it is now the later fact, and Ukraine's stance.
    expect(await crimea('at=2025-05-30&periods=end')).toEqual({ us: 80, ukraine: 20 });
    expect(await crimea('at=2025-05-31&periods=end')).toEqual({ us: 80, ukraine: 10 });
    // By the start rule the month (1 May) is older than the day (8 May): Ukraine stays at 20.
    expect(await crimea('at=2025-05-31')).toEqual({ us: 80, ukraine: 20 });
    const gaps = await get('/gaps?at=2025-05-10&periods=end');
    expect([gaps.periods, gaps.pairs[0].overall]).toEqual(['end', 20]);
  });

  it('sweeps series and panels by the same rule, point for point with /stances', async () => {
    const series = await get('/gaps/series?between=us,ukraine&from=2025-05-04&to=2025-06-01&step=P1D&periods=end');
    expect(series.periods).toBe('end');
    for (const point of series.points) {
      const day = point.at.slice(0, 10);
      const at = await crimea(`at=${day}&periods=end`);
      const expected = at.us === undefined || at.ukraine === undefined ? null : Math.abs(at.us - at.ukraine);
      expect([day, point.overall]).toEqual([day, expected]);
    }
    const panel = await get('/panel?from=2025-05-05&to=2025-05-11&step=P6D&periods=end');
    expect(panel.rows.map((r: { at: string; party: string; value: number }) => [r.at.slice(0, 10), r.party, r.value])).toEqual([
      ['2025-05-05', 'us', 40],
      ['2025-05-11', 'us', 80],
      ['2025-05-11', 'ukraine', 20],
    ]);
  });

  it('refuses another value, naming the field', async () => {
    const bad = await call(app.url, 'GET', '/negotiations/periods/stances?periods=middle');
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['periods']);
  });
});
