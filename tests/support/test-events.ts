import { z } from 'zod';
import { EventRegistry } from '../../src/event-store/event-registry';
import type { EventToAppend } from '../../src/event-store/types';

/** Event types for exercising the store on its own, without the negotiation domain. */
export function testRegistry(): EventRegistry {
  return new EventRegistry([
    { type: 'Noted', schema: z.object({ n: z.number(), text: z.string().optional() }) },
    {
      type: 'Renamed',
      schemaVersion: 2,
      schema: z.object({ fullName: z.string() }),
      upcasters: { 1: (data) => ({ fullName: (data as { name: string }).name }) },
    },
  ]);
}

export function noted(n: number, overrides: Partial<EventToAppend> = {}): EventToAppend {
  return {
    type: 'Noted',
    data: { n },
    occurredAt: new Date(Date.UTC(2025, 3, 17, 10, 0, n % 60)),
    ...overrides,
  };
}
