import { call, startTestApp, type TestApp } from '../support/app';
import { issue, opened, party, proposal, stated } from '../support/builders';

/**
 * Latest wins, whatever the evidence (issue 30, item 7): the contract's stance is the latest
 * statement, so a vaguer later one replaces a written proposal, and a leak recorded later beats
 * a document of the same date. GET …/evidence reads each cell from every statement in a
 * window, weighted by basis, confidence and precision, beside the contract's value.
 */
describe('an evidence-aware reading beside the contract\'s latest-wins rule', () => {
  let app: TestApp;
  const get = async (path: string) => {
    const answer = await call(app.url, 'GET', `/negotiations/evidence${path}`);
    expect([path, answer.status]).toEqual([path, 200]);
    return answer.body;
  };

  beforeAll(async () => {
    app = await startTestApp();
    const events = [
      opened('Evidence', '2025-04-01'),
      party('us', {}, '2025-04-01'),
      party('ukraine', {}, '2025-04-01'),
      issue('crimea', undefined, '2025-04-01'),
      issue('nato', undefined, '2025-04-01'),
      // A written proposal: 100, quoted (weight 1).
      { ...proposal('draft', ['us'], [{ issue: 'crimea', value: 100 }], '2025-04-17'), data: { proposal: 'draft', title: 'Draft', sponsors: ['us'], positions: [{ issue: 'crimea', value: 100, basis: 'quoted' }] } },
      // A vaguer later statement: 75 within 50–100, paraphrased (0.8 × (1 − 50/100) = 0.4).
      stated('us', 'crimea', 75, '2025-04-25', { basis: 'paraphrased', uncertainty: { low: 50, high: 100 } }),
      // Same date: a document (quoted, 0) and a leak recorded after it (inferred, confidence 0.5: 0.25).
      stated('ukraine', 'nato', 0, '2025-04-20', { basis: 'quoted' }),
      stated('ukraine', 'nato', 60, '2025-04-20', { basis: 'inferred', confidence: 0.5 }),
    ];
    expect((await call(app.url, 'POST', '/negotiations/evidence/events', { json: { events } })).status).toBe(201);
  });
  afterAll(() => app.close());

  it('keeps the contract\'s stance as `latest`, and weighs every statement in the window by its evidence', async () => {
    const stances = (await get('/stances?at=2025-04-30')).stances.map((s: { party: string; issue: string; value: number }) => [s.party, s.issue, s.value]);
    expect(stances).toEqual([
      ['ukraine', 'nato', 60],
      ['us', 'crimea', 75],
    ]);
    const answer = await get('/evidence?at=2025-04-30');
    expect(answer.window).toBe('P30D');
    const cell = (party: string, issueSlug: string) => answer.cells.find((c: { party: string; issue: string }) => c.party === party && c.issue === issueSlug);
    // (1 × 100 + 0.4 × 75) / 1.4 = 92.86: the written text outweighs the vague remark.
    expect(cell('us', 'crimea')).toMatchObject({ latest: 75, value: expect.closeTo(130 / 1.4, 10), spread: { low: 75, high: 100 } });
    expect(cell('us', 'crimea').sources.map((s: { value: number; weight: number }) => [s.value, s.weight])).toEqual([
      [100, 1],
      [75, expect.closeTo(0.4, 10)],
    ]);
    // (1 × 0 + 0.25 × 60) / 1.25 = 12: the document, not the later-recorded leak.
    expect(cell('ukraine', 'nato')).toMatchObject({ latest: 60, value: expect.closeTo(12, 10), spread: { sd: expect.closeTo(Math.sqrt((1 * 144 + 0.25 * 48 ** 2) / 1.25), 10), low: 0, high: 60 } });
  });

  it('counts only the window before `at`, and refuses a window that is no duration', async () => {
    // Ten days before 30 April: the draft of the 17th is out of the window; the latest always counts.
    const narrow = await get('/evidence?at=2025-04-30&window=P10D');
    expect(narrow.cells.find((c: { issue: string }) => c.issue === 'crimea')).toMatchObject({ latest: 75, value: 75, spread: { sd: 0, low: 75, high: 75 } });
    const bad = await call(app.url, 'GET', '/negotiations/evidence/evidence?window=soon');
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['window']);
  });
});
