import type { RuleDefinition } from '../../../src/alerting/alert-rules';
import { judge, resolutions, type Measure } from '../../../src/alerting/verdicts';

const gap = (value: number | null): Measure => ({ kind: 'gap', value });
const threshold = (direction: 'up' | 'down' | 'both'): RuleDefinition => ({ kind: 'gap_threshold', a: 'us', b: 'ukraine', threshold: 50, direction });

describe('judge', () => {
  describe('gap_threshold (edge-triggered)', () => {
    it('fires when the gap crosses the threshold in a watched direction', () => {
      expect(judge(threshold('up'), gap(40), gap(60))).toEqual([{ summary: 'gap us–ukraine rose to 60, crossing 50 (was 40)', key: '' }]);
      expect(judge(threshold('down'), gap(60), gap(40))).toEqual([{ summary: 'gap us–ukraine fell to 40, crossing 50 (was 60)', key: '' }]);
      expect(judge(threshold('both'), gap(60), gap(40))).toHaveLength(1);
    });

    it('stays quiet while the condition holds, in an unwatched direction, or with no gap', () => {
      expect(judge(threshold('up'), gap(60), gap(70))).toEqual([]);
      expect(judge(threshold('up'), gap(60), gap(40))).toEqual([]);
      expect(judge(threshold('both'), gap(60), gap(null))).toEqual([]);
      expect(judge(threshold('up'), gap(null), gap(null))).toEqual([]);
    });

    it('fires when a gap first appears on the side the rule watches (issue 30: first positions alert)', () => {
      expect(judge(threshold('up'), gap(null), gap(76))).toEqual([{ summary: 'gap us–ukraine appeared at 76, at or above 50', key: '' }]);
      expect(judge(threshold('down'), gap(null), gap(10))).toEqual([{ summary: 'gap us–ukraine appeared at 10, below 50', key: '' }]);
      expect(judge(threshold('both'), gap(null), gap(60))).toEqual([{ summary: 'gap us–ukraine appeared at 60, at or above 50' }]);
      expect(judge(threshold('up'), gap(null), gap(10))).toEqual([]);
      expect(judge(threshold('down'), gap(null), gap(76))).toEqual([]);
    });
  });

  it('fires position_shift past its delta, on a first stance and on a withdrawal', () => {
    const rule: RuleDefinition = { kind: 'position_shift', party: 'us', issue: 'crimea', delta: 10 };
    const stance = (value: number | null): Measure => ({ kind: 'stance', value });
    expect(judge(rule, stance(50), stance(60))).toEqual([]);
    expect(judge(rule, stance(50), stance(61))).toEqual([{ summary: 'us moved on crimea from 50 to 61' }]);
    expect(judge(rule, stance(null), stance(80))).toEqual([{ summary: 'us took a first stance on crimea: 80' }]);
    expect(judge(rule, stance(80), stance(null))).toEqual([{ summary: 'us no longer has a stance on crimea (was 80)' }]);
    expect(judge(rule, stance(null), stance(null))).toEqual([]);
  });

  it('fires gap_change once when the change first exceeds its delta', () => {
    const rule: RuleDefinition = { kind: 'gap_change', a: 'us', b: 'ukraine', delta: 10, window: 'P7D', direction: 'converge' };
    const change = (c: number | null): Measure => ({ kind: 'gap_change', now: 40, then: c === null ? null : 40 - c, change: c });
    expect(judge(rule, change(-5), change(-20))).toEqual([{ summary: 'us and ukraine converged by 20 within P7D (gap 60 → 40)' }]);
    expect(judge(rule, change(-20), change(-25))).toEqual([]);
    expect(judge(rule, change(-5), change(20))).toEqual([]);
  });

  it('fires a red line for each party whose stance enters the unacceptable range', () => {
    const rule: RuleDefinition = { kind: 'red_line', mode: 'stance', party: 'russia', issue: 'nato' };
    const line = { min: null, max: 20 };
    const before: Measure = { kind: 'red_line', line, values: { us: 10, ukraine: 30 } };
    const after: Measure = { kind: 'red_line', line, values: { us: 40, ukraine: 30, europe: 90 } };
    expect(judge(rule, before, after).map((v) => v.summary)).toEqual([
      "us's stance on nato (40) entered russia's unacceptable range",
      "europe's stance on nato (90) entered russia's unacceptable range",
    ]);
  });

  it('fires a zone rule when the zone of agreement opens or closes', () => {
    const rule: RuleDefinition = { kind: 'red_line', mode: 'zone', parties: ['us', 'russia'], issue: 'crimea' };
    const zone = (z: number | null): Measure => ({ kind: 'zone', z });
    expect(judge(rule, zone(-5), zone(10))).toEqual([{ summary: 'a zone of agreement on crimea opened between us and russia (10 wide)' }]);
    expect(judge(rule, zone(10), zone(-5))).toEqual([{ summary: 'the zone of agreement on crimea between us and russia closed (short by 5)' }]);
    expect(judge(rule, zone(10), zone(3))).toEqual([]);
  });
});

describe('resolutions (level rules)', () => {
  it('given an up threshold that held, when the gap falls below it or is no longer measured, then it resolves', () => {
    expect(resolutions(threshold('up'), gap(60), gap(40))).toEqual([{ key: '', summary: 'the condition cleared (gap us–ukraine at 40, below 50)' }]);
    expect(resolutions(threshold('up'), gap(60), gap(null))).toHaveLength(1);
    expect(resolutions(threshold('up'), gap(60), gap(50))).toEqual([]);
  });

  it('given a down threshold, when the gap rises back to it, then it resolves', () => {
    expect(resolutions(threshold('down'), gap(40), gap(50))).toHaveLength(1);
    expect(resolutions(threshold('down'), gap(40), gap(45))).toEqual([]);
  });

  it('given an edge rule (either direction, a shift, a change, a zone), then nothing ever resolves', () => {
    expect(resolutions(threshold('both'), gap(60), gap(40))).toEqual([]);
    const shift: RuleDefinition = { kind: 'position_shift', party: 'us', issue: 'crimea', delta: 10 };
    expect(resolutions(shift, { kind: 'stance', value: 10 }, { kind: 'stance', value: 50 })).toEqual([]);
    const zone: RuleDefinition = { kind: 'red_line', mode: 'zone', parties: ['us', 'russia'], issue: 'nato' };
    expect(resolutions(zone, { kind: 'zone', z: 5 }, { kind: 'zone', z: -5 })).toEqual([]);
  });

  it("given a red line, when a party's stance comes back inside it or is withdrawn, then that party's alert resolves", () => {
    const rule: RuleDefinition = { kind: 'red_line', mode: 'stance', party: 'russia', issue: 'nato' };
    const line = { min: null, max: 20 };
    const before: Measure = { kind: 'red_line', line, values: { us: 30, ukraine: 90 } };
    const after: Measure = { kind: 'red_line', line, values: { us: 10 } };
    expect(resolutions(rule, before, after).map((r) => r.key).sort()).toEqual(['ukraine', 'us']);
    expect(judge(rule, { kind: 'red_line', line, values: { us: 10 } }, before).map((v) => v.key).sort()).toEqual(['ukraine', 'us']);
  });
});
