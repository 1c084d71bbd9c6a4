import { MAX_SERIES_POINTS, asOfParams, gapsParams, pageFormatParams, panelParams, seriesParams } from '../../../src/negotiation/reading/as-of-params';

const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.success ? [] : result.error!.issues.map((i) => ({ path: i.path, message: i.message }));

describe('as-of parameters', () => {
  it('reads a date alone as the end of that UTC day, and an instant as given', () => {
    expect(asOfParams.parse({ at: '2025-04-24' }).at).toEqual(new Date('2025-04-24T23:59:59.999Z'));
    expect(asOfParams.parse({ knownAt: '2025-04-24T10:00:00+02:00' }).knownAt).toEqual(new Date('2025-04-24T08:00:00Z'));
    expect(asOfParams.parse({})).toEqual({});
  });

  it('refuses instants outside years 1000–9999 and versions below 1, naming the field', () => {
    expect(issuesOf(asOfParams.safeParse({ at: '0999-12-31' }))[0]!.path).toEqual(['at']);
    expect(issuesOf(asOfParams.safeParse({ version: '0' }))[0]!.path).toEqual(['version']);
    expect(asOfParams.parse({ version: '12' }).version).toBe(12);
  });

  it('reads between= as party slugs, at least two', () => {
    expect(gapsParams.parse({ between: 'us, ukraine,russia' }).between).toEqual(['us', 'ukraine', 'russia']);
    expect(issuesOf(gapsParams.safeParse({ between: 'us' }))[0]!.message).toBe('Name at least two parties');
  });
});

describe('points of a series or a panel', () => {
  it('runs from `from` to `to` inclusive by `step`, an ISO duration or a Grafana interval', () => {
    const daily = seriesParams.parse({ between: 'us,ukraine', from: '2025-04-01', to: '2025-04-03' });
    expect(daily.points.map((p) => p.toISOString())).toEqual(['2025-04-01T23:59:59.999Z', '2025-04-02T23:59:59.999Z', '2025-04-03T23:59:59.999Z']);
    const sixHourly = panelParams.parse({ from: '2025-04-01T00:00:00Z', to: '2025-04-01T12:00:00Z', step: '6h' });
    expect(sixHourly.points).toHaveLength(3);
    expect(panelParams.parse({ from: '2025-04-01T00:00:00Z', to: '2025-04-01T12:00:00Z', step: 'PT6H' }).points).toEqual(sixHourly.points);
  });

  it('keeps calendar months as months', () => {
    const monthly = panelParams.parse({ from: '2025-01-31T00:00:00Z', to: '2025-04-30T00:00:00Z', step: 'P1M' });
    expect(monthly.points.map((p) => p.toISOString().slice(0, 10))).toEqual(['2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30']);
  });

  it('refuses a reversed range, a step that is not a positive duration, one pair only for a series, and too many points', () => {
    expect(issuesOf(panelParams.safeParse({ from: '2025-04-03', to: '2025-04-01' }))[0]!.path).toEqual(['to']);
    expect(issuesOf(panelParams.safeParse({ from: '2025-04-01', to: '2025-04-03', step: 'P0D' }))[0]!.path).toEqual(['step']);
    expect(issuesOf(panelParams.safeParse({ from: '2025-04-01', to: '2025-04-03', step: 'soon' }))[0]!.path).toEqual(['step']);
    expect(issuesOf(seriesParams.safeParse({ between: 'us,ukraine,russia', from: '2025-04-01', to: '2025-04-03' }))[0]!.message).toMatch(/one pair/);
    const tooMany = issuesOf(panelParams.safeParse({ from: '2000-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z', step: '1h' }));
    expect(tooMany[0]).toEqual({ path: ['step'], message: `More than ${MAX_SERIES_POINTS} points: use a larger step or a shorter range` });
  });
});

describe('event pages', () => {
  it('page after a position, 1–1000 at a time (100 by default), or before one', () => {
    expect(pageFormatParams.parse({})).toEqual({ after: 0, limit: 100 });
    expect(pageFormatParams.parse({ after: '5', limit: '1000', format: 'csv', before: '9' })).toEqual({ after: 5, limit: 1000, format: 'csv', before: 9 });
    expect(issuesOf(pageFormatParams.safeParse({ limit: '1001' }))[0]!.path).toEqual(['limit']);
    expect(issuesOf(pageFormatParams.safeParse({ format: 'xml' }))[0]!.path).toEqual(['format']);
  });
});
