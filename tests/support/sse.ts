import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseClient {
  messages: EventSourceMessage[];
  /** Resolves once `count` messages have arrived (or rejects after timeoutMs). */
  waitFor(count: number, timeoutMs?: number): Promise<EventSourceMessage[]>;
  close(): void;
  closed: Promise<void>;
}

/** A Server-Sent Events client over fetch, for tests. */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (response.status !== 200) throw new Error(`feed answered ${response.status}: ${await response.text()}`);
  const messages: EventSourceMessage[] = [];
  let notify = () => undefined as void;
  const parser = createParser({
    onEvent: (message) => {
      messages.push(message);
      notify();
    },
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const closed = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // aborted by close()
    }
    notify();
  })();
  return {
    messages,
    closed,
    close: () => controller.abort(),
    waitFor: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${messages.length} of ${count} SSE messages arrived`)), timeoutMs);
        notify = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve(messages.slice(0, count));
          }
        };
        notify();
      }),
  };
}
