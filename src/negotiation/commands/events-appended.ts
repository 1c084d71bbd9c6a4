/** Published on the EventBus after a write commits; metrics and other observers listen. */
export class EventsAppended {
  constructor(
    readonly negotiationId: string,
    readonly types: string[],
    readonly durationMs: number,
  ) {}
}
