import { checkParties } from '../../../src/negotiation/analysis/check-parties';
import { outsideLine } from '../../../src/negotiation/analysis/red-lines';
import { InvalidRequest } from '../../../src/shared/domain-error';

const issuesOf = (fn: () => void) => {
  try {
    fn();
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequest);
    return (error as InvalidRequest).issues;
  }
};

describe('checkParties: the parties a question names', () => {
  const known = ['us', 'ukraine', 'russia'];

  it('accepts known parties, each once', () => {
    expect(issuesOf(() => checkParties(['us', 'russia'], known))).toEqual([]);
  });

  it('names each unknown or repeated party where the client wrote it', () => {
    expect(issuesOf(() => checkParties(['us', 'china', 'us'], known))).toEqual([
      { path: ['between', 1], message: 'Unknown party "china"' },
      { path: ['between', 2], message: 'Party "us" is listed twice' },
    ]);
    expect(issuesOf(() => checkParties(['china'], known, [['toward']]))).toEqual([{ path: ['toward'], message: 'Unknown party "china"' }]);
  });
});

describe('outsideLine: a stance against a red line', () => {
  it('is outside below the minimum or above the maximum, never on a bound', () => {
    const line = { min: 20, max: 60 };
    expect([19.9, 20, 40, 60, 60.1].map((v) => outsideLine(v, line))).toEqual([true, false, false, false, true]);
  });

  it('reads a missing bound as open on that side, and no line as nothing outside', () => {
    expect(outsideLine(1000, { min: 20, max: null })).toBe(false);
    expect(outsideLine(-1000, { min: null, max: 60 })).toBe(false);
    expect(outsideLine(5, null)).toBe(false);
  });
});
