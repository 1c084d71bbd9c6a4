import { parse } from 'csv-parse/sync';
import { call, startTestApp, type TestApp } from '../support/app';
import { corrected, issue, opened, outcome, party, proposal, retracted, stated } from '../support/builders';

/** A date's report, published that day: what `by=public` counts at the end of it. */
const published = <T extends { occurredAt: string }>(event: T) => ({ ...event, source: { publisher: 'Test wire', publishedAt: event.occurredAt.slice(0, 10) } });

/**
 * Backtests without hindsight (issue 28): a small negotiation whose every prediction and error
 * is worked out by hand below, then a live one showing that a correction recorded after the
 * outcome leaves every earlier date's prediction as it was.
 */
describe('backtests of the outcome models', () => {
  let app: TestApp;
  const as = (method: string, path: string, json?: unknown) => call(app.url, method, path, json === undefined ? {} : { json });

  beforeAll(async () => {
    app = await startTestApp();
    // Parties a and b (capability 1) and c (0.5), all coded; issues x (0–100), y (0–10), z (0–100).
    const events = [
      opened('Backtest', '2025-03-01'),
      party('a', { capability: 1 }, '2025-03-01'),
      party('b', { capability: 1 }, '2025-03-01'),
      party('c', { capability: 0.5 }, '2025-03-01'),
      issue('x', undefined, '2025-03-01'),
      issue('y', { min: 0, max: 10 }, '2025-03-01'),
      issue('z', undefined, '2025-03-01'),
      ...[
        stated('a', 'x', 20, '2025-03-01', { salience: 1 }),
        stated('b', 'x', 80, '2025-03-01', { salience: 1 }),
        stated('a', 'y', 2, '2025-03-01'),
        stated('b', 'y', 8, '2025-03-01'),
        stated('a', 'z', 10, '2025-03-01'),
        stated('b', 'z', 30, '2025-03-01'),
        stated('c', 'x', 70, '2025-03-10', { salience: 1 }),
        proposal('joint-draft', ['a', 'b'], [{ issue: 'x', value: 60 }], '2025-03-15'),
        outcome('x', 55, '2025-03-20', { summary: 'Agreed at 55', document: 'Final act' }),
        outcome('y', 6, '2025-03-20'),
        outcome('z', null, '2025-03-20', { summary: 'No agreement on z' }),
      ].map(published),
    ];
    expect((await as('POST', '/negotiations/bt/events', { events })).status).toBe(201);
  });
  afterAll(() => app.close());

  const backtest = async (query: string) => {
    const answer = await as('GET', `/negotiations/bt/backtest?by=public&from=2025-03-05&to=2025-03-20&step=P5D&${query}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  /** The errors of one answer, per date and issue (dates as days). */
  const errors = (answer: { points: { at: string; issues: { issue: string; error: number | null }[] }[] }) =>
    answer.points.map((p) => [p.at.slice(0, 10), Object.fromEntries(p.issues.map((i) => [i.issue, i.error]))]);

  it('scores the compromise model as the hand computation does', async () => {
    const answer = await backtest('model=compromise');
    // 5 March: x = (20·1 + 80·1) / 2 = 50, |50 − 55| = 5; y = (2·0.5 + 8·0.5) / 1 = 5, |5 − 6| × 100/10 = 10.
    // 10 March: c (0.5 × 1) at 70 joins: x = (20 + 80 + 35) / 2.5 = 54, error 1.
    // 15 March: the joint draft moves a and b to 60 (saliences stay 1): x = (60 + 60 + 35) / 2.5 = 62, error 7.
    // 20 March (end of day): every outcome has happened; nothing is scored. z (no agreement) is never scored.
    expect(errors(answer)).toEqual([
      ['2025-03-05', { x: 5, y: 10, z: null }],
      ['2025-03-10', { x: closeTo(1), y: 10, z: null }],
      ['2025-03-15', { x: closeTo(7), y: 10, z: null }],
      ['2025-03-20', {}],
    ]);
    expect(answer.points.map((p: { mean: number | null }) => p.mean)).toEqual([7.5, closeTo(5.5), closeTo(8.5), null]);
    expect(answer.points[0].issues.find((i: { issue: string }) => i.issue === 'z')).toEqual({ issue: 'z', prediction: 20, outcome: null, error: null });
    // Over the six scored cells: (5 + 1 + 7 + 10 + 10 + 10) / 6.
    expect(answer.summary.meanAbsoluteError).toBeCloseTo(43 / 6, 10);
    expect(answer.summary.final).toBeCloseTo(8.5, 10);
    expect(answer.summary.byIssue.find((i: { issue: string }) => i.issue === 'x')).toEqual({ issue: 'x', meanAbsoluteError: closeTo(13 / 3), first: 5, last: closeTo(7), points: 3 });
    expect(answer.outcomes.map((o: { issue: string; value: number | null; document: string | null }) => [o.issue, o.value, o.document])).toEqual([
      ['x', 55, 'Final act'],
      ['y', 6, null],
      ['z', null, null],
    ]);
  });

  it('scores the weighted median and the baseline, and says which model did best by how much', async () => {
    // Weighted median, x: 5 March a tie at half the weight, the midpoint 50 (error 5); 10 March
    // 20 (1), 70 (0.5), 80 (1): half of 2.5 is first reached at 70 (error 15); 15 March 60 (error 5).
    expect(errors(await backtest('model=weighted-median')).slice(0, 3)).toEqual([
      ['2025-03-05', { x: 5, y: 10, z: null }],
      ['2025-03-10', { x: 15, y: 10, z: null }],
      ['2025-03-15', { x: 5, y: 10, z: null }],
    ]);
    // Baseline: the extremes' midpoint (50, then still 50) until the draft is tabled (60); y never gets a proposal.
    const baseline = await backtest('model=baseline');
    expect(baseline.points.slice(0, 3).map((p: { issues: { issue: string; prediction: number | null; basis?: string }[] }) => p.issues.map((i) => [i.issue, i.prediction, i.basis]))).toEqual([
      [['x', 50, 'midpoint'], ['y', 5, 'midpoint'], ['z', 20, 'midpoint']],
      [['x', 50, 'midpoint'], ['y', 5, 'midpoint'], ['z', 20, 'midpoint']],
      [['x', 60, 'proposal'], ['y', 5, 'midpoint'], ['z', 20, 'midpoint']],
    ]);
    // Compromise 43/6, weighted median 55/6, baseline 45/6: compromise best, by 2/6 over the baseline.
    const { comparison } = baseline;
    expect(comparison.models.map((m: { model: string; meanAbsoluteError: number }) => [m.model, m.meanAbsoluteError])).toEqual([
      ['compromise', closeTo(43 / 6)],
      ['weighted-median', closeTo(55 / 6)],
      ['baseline', closeTo(45 / 6)],
    ]);
    expect(comparison.best).toBe('compromise');
    expect(comparison.margin).toBeCloseTo(2 / 6, 10);
  });

  it('answers CSV, one row per date and issue scored', async () => {
    const response = await fetch(`${app.url}/negotiations/bt/backtest?by=public&from=2025-03-05&to=2025-03-15&step=P5D&model=compromise&format=csv`);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(9);
    expect(rows[0]).toEqual({ model: 'compromise', at: '2025-03-05T23:59:59.999Z', issue: 'x', prediction: '50', outcome: '55', error: '5', basis: '', mean: '7.5' });
  });

  it('refuses bad parameters by name, and reads the recorded outcomes with corrections and retractions', async () => {
    const bad = await as('GET', '/negotiations/bt/backtest?model=oracle');
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['model']);
    expect((await as('GET', '/negotiations/bt/backtest?from=2025-03-20&to=2025-03-01')).body.issues[0].path).toEqual(['to']);
    // An outcome value off the issue's scale is a rule violation at its path; nothing is written.
    const off = await as('POST', '/negotiations/bt/events', { events: [outcome('y', 11, '2025-03-21')] });
    expect(off.status).toBe(422);
    expect(off.body.issues[0]).toMatchObject({ code: 'NEGOTIATION.VALUE_OFF_SCALE', path: ['events', 0, 'data', 'value'] });
    const before = (await as('GET', '/negotiations/bt/outcomes/recorded')).body.outcomes;
    const x = before.find((o: { issue: string }) => o.issue === 'x');
    const y = before.find((o: { issue: string }) => o.issue === 'y');
    expect((await as('POST', '/negotiations/bt/events', { events: [corrected(x.eventId, { issue: 'x', value: 57 }, '2025-03-22'), retracted(y.eventId, '2025-03-22')] })).status).toBe(201);
    const after = (await as('GET', '/negotiations/bt/outcomes/recorded')).body.outcomes;
    expect(after.map((o: { issue: string; value: number | null }) => [o.issue, o.value])).toEqual([
      ['x', 57],
      ['z', null],
    ]);
    expect(after[0].correctedAt).not.toBeNull();
    // As known before the amendments: the outcomes as they were.
    const then = (await as('GET', `/negotiations/bt/outcomes/recorded?knownAt=${encodeURIComponent(x.recordedAt)}`)).body.outcomes;
    expect(then.map((o: { issue: string; value: number | null }) => [o.issue, o.value])).toEqual([
      ['x', 55],
      ['y', 6],
      ['z', null],
    ]);
  });

  it('shows each date the prediction known then: a correction recorded after the outcome does not reach back', async () => {
    const soon = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
    const live = (events: unknown[]) => as('POST', '/negotiations/live-bt/events', { events });
    const lastRecorded = async () => {
      const page = (await as('GET', '/negotiations/live-bt/events?limit=1000')).body.events;
      return page.at(-1).recordedAt as string;
    };
    expect((await live([opened('Live', '2025-01-01'), party('a', {}, '2025-01-01'), party('b', {}, '2025-01-01'), issue('x', undefined, '2025-01-01')])).status).toBe(201);
    const first = await live([stated('a', 'x', 20, soon(-1)), stated('b', 'x', 80, soon(-1))]);
    const t1 = await lastRecorded();
    // The agreement, recorded now, takes effect in 45 seconds (within the clock-skew allowance).
    expect((await live([outcome('x', 60, soon(45))])).status).toBe(201);
    const scored = async (at: string) => {
      const answer = (await as('GET', `/negotiations/live-bt/backtest?from=${encodeURIComponent(at)}&to=${encodeURIComponent(at)}`)).body;
      return answer.points[0].issues[0];
    };
    // Known at t1: (20 + 80) / 2 = 50 against 60.
    const atT1 = await scored(t1);
    expect(atT1).toEqual({ issue: 'x', prediction: 50, outcome: 60, error: 10 });
    // After the outcome is recorded, a's statement is corrected to 40.
    expect((await live([corrected(first.body.events[0].id, { party: 'a', issue: 'x', value: 40 }, soon(-1))])).status).toBe(201);
    const t2 = await lastRecorded();
    expect(await scored(t1)).toEqual(atT1);
    // From its recordedAt on, the correction counts: (40 + 80) / 2 = 60, error 0.
    expect(await scored(t2)).toEqual({ issue: 'x', prediction: 60, outcome: 60, error: 0 });
  });

  it('fires an outcome rule when an outcome is recorded, corrected or retracted', async () => {
    expect((await as('POST', '/negotiations/bt/alert-rules', { name: 'deal', rule: { kind: 'outcome', issue: 'x' } })).status).toBe(201);
    expect((await as('POST', '/negotiations/bt/alert-rules', { name: 'bad', rule: { kind: 'outcome', issue: 'nowhere' } })).status).toBe(422);
    const recorded = await as('POST', '/negotiations/bt/events', { events: [outcome('x', 58, '2025-03-25'), outcome('z', 40, '2025-03-25')] });
    expect(recorded.status).toBe(201);
    const position = String(recorded.body.events.at(-1).globalPosition);
    const alerts = await (await fetch(`${app.url}/negotiations/bt/alerts`, { headers: { 'parley-min-position': position } })).json();
    // Only x is the rule's; one firing, no restatement for the back-dated date.
    expect(alerts.alerts.map((a: { type: string; data: { summary: string } }) => [a.type, a.data.summary])).toEqual([['AlertFired', 'outcome on x now 58 (was 57)']]);
  });
});

function closeTo(value: number) {
  return expect.closeTo(value, 10);
}
