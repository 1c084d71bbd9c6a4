import { IdConflict, VersionConflict } from '../../../src/event-store/errors';
import type { AppendResult, EventToAppend } from '../../../src/event-store/types';

export interface GroupOp {
  stream: string;
  events: (EventToAppend & { id: string })[];
  expected: number | undefined;
}

const content = (stream: string, e: EventToAppend) => JSON.stringify([stream, e.type, e.occurredAt.getTime(), e.data]);

/**
 * The store's contract, one append at a time (the reference a group of appends must match):
 * an id stored with the same content is skipped and answered with its positions, with other
 * content it is an IdConflict; new events need the expected version, if one was given.
 */
export function appendAlone(ops: GroupOp[], start: number): { answers: (AppendResult | Error)[]; log: [string, string, number, number][] } {
  const stored = new Map<string, { content: string; globalPosition: number; streamVersion: number }>();
  const versions = new Map<string, number>();
  const log: [string, string, number, number][] = [];
  let head = start;
  const answers = ops.map((op): AppendResult | Error => {
    const version = versions.get(op.stream) ?? 0;
    if (op.events.some((e) => stored.has(e.id) && stored.get(e.id)!.content !== content(op.stream, e))) return new IdConflict(op.events[0]!.id);
    const fresh = op.events.filter((e) => !stored.has(e.id));
    if (fresh.length > 0 && op.expected !== undefined && op.expected !== version) return new VersionConflict(op.stream, op.expected, version);
    fresh.forEach((e, i) => {
      stored.set(e.id, { content: content(op.stream, e), globalPosition: head + i + 1, streamVersion: version + i + 1 });
      log.push([e.id, op.stream, version + i + 1, head + i + 1]);
    });
    head += fresh.length;
    versions.set(op.stream, version + fresh.length);
    return {
      streamVersion: version + fresh.length,
      events: op.events.map((e) => ({ id: e.id, globalPosition: stored.get(e.id)!.globalPosition, streamVersion: stored.get(e.id)!.streamVersion })),
      appended: fresh.length,
      skipped: op.events.length - fresh.length,
    };
  });
  return { answers, log };
}
