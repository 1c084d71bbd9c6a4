import type { EventBus } from '@nestjs/cqrs';
import type { WriteOutcome } from './negotiation-writer';

/** Published on the EventBus after a write commits; metrics and other observers listen. */
export class EventsAppended {
  constructor(
    readonly negotiationId: string,
    readonly durationMs: number,
  ) {}
}

/** Runs a write and, when it appended anything, tells the EventBus how long it took. */
export async function timedWrite(
  eventBus: EventBus,
  negotiationId: string,
  write: () => Promise<WriteOutcome>,
): Promise<WriteOutcome> {
  const started = performance.now();
  const outcome = await write();
  if (outcome.appended > 0) eventBus.publish(new EventsAppended(negotiationId, performance.now() - started));
  return outcome;
}
