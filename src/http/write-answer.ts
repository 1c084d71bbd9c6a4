import type { Response } from './platform';
import type { WriteOutcome } from '../negotiation/writing/negotiation-writer';
import { POSITION_HEADER } from './read-context';

/**
 * 201 when something was appended; 200 for a retry whose events were all stored already.
 * `Parley-Position` is the highest position written or matched: a read that sends it back as
 * `Parley-Min-Position` sees this write on any instance.
 */
export function answer(outcome: WriteOutcome, response: Response) {
  response.status(outcome.created ? 201 : 200);
  // A reduce, not Math.max(...positions): spread arguments overflow the stack past ~120k events.
  response.header(POSITION_HEADER, String(outcome.events.reduce((highest, e) => Math.max(highest, e.globalPosition), 0)));
  return {
    streamVersion: outcome.streamVersion,
    events: outcome.events,
    appended: outcome.appended,
    skipped: outcome.skipped,
  };
}
