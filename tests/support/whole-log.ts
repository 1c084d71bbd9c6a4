import { call } from './app';

export interface LoggedEvent {
  id: string;
  globalPosition: number;
  negotiation: string;
  type: string;
  recordedAt: string;
  data: { value?: number };
}

/** Everything in the log, paged as a tailing reader would. */
export async function wholeLog(url: string): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for (let after = 0; ; ) {
    const page = (await call(url, 'GET', `/events?after=${after}&limit=1000`)).body;
    events.push(...page.events);
    if (page.next === null) return events;
    after = page.next;
  }
}
