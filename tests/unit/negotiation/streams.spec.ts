import { alertsStream, belongsTo, isSourceStream, isSubStream, negotiationOf, newsStream, rulesStream, sourceStream } from '../../../src/negotiation/domain/streams';

describe('stream names', () => {
  it('keep a negotiation\'s rules, firings and news beside it, apart from its own stream', () => {
    expect([rulesStream('talks'), alertsStream('talks'), newsStream('talks')]).toEqual(['talks.rules', 'talks.alerts', 'talks.news']);
    expect([isSubStream('talks'), isSubStream('talks.rules'), isSubStream('talks.alerts')]).toEqual([false, true, true]);
    expect([negotiationOf('talks'), negotiationOf('talks.alerts')]).toEqual(['talks', 'talks']);
  });

  it('tell which streams belong to a negotiation, and never a negotiation whose id merely begins the same', () => {
    expect(belongsTo('talks', 'talks')).toBe(true);
    expect(belongsTo('talks.news', 'talks')).toBe(true);
    expect(belongsTo('talks-2', 'talks')).toBe(false);
    expect(belongsTo('talks2.rules', 'talks')).toBe(false);
  });

  it('keep a feed\'s stream apart from every negotiation and sub-stream', () => {
    expect(sourceStream('wire')).toBe('sources:wire');
    expect(isSourceStream('sources:wire')).toBe(true);
    expect(isSourceStream('wire')).toBe(false);
    expect(isSourceStream('sources')).toBe(false);
  });
});
