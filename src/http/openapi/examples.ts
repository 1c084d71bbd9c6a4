import { readFileSync } from 'node:fs';
import { exampleDatasetPath } from '../../config/paths';

/** Request examples: one event of each type, taken from the example dataset where it has one. */
const extra = [
  { type: 'PositionWithdrawn', occurredAt: '2025-04-28T00:00:00Z', datePrecision: 'day', data: { party: 'us', issue: 'nato-membership', summary: 'The US drops its demand' } },
  { type: 'EventCorrected', occurredAt: '2025-04-28T00:00:00Z', data: { target: '5f0c4a1e-2b3d-4c5e-8f9a-0b1c2d3e4f50', data: { party: 'us', issue: 'crimea', value: 90 } } },
  { type: 'EventRetracted', occurredAt: '2025-04-28T00:00:00Z', data: { target: '5f0c4a1e-2b3d-4c5e-8f9a-0b1c2d3e4f50', reason: 'The report was denied' } },
  { type: 'NewsItemDismissed', occurredAt: '2025-04-28T00:00:00Z', data: { item: '0d3c2b1a-9e8f-5a6b-8c7d-6e5f4a3b2c1d', reason: 'Not about the talks' } },
  // Hypothetical: the April 2025 talks reached no agreement, and the example dataset records none.
  { type: 'OutcomeRecorded', occurredAt: '2025-06-01T00:00:00Z', data: { issue: 'ceasefire-sequencing', value: null, summary: 'The talks ended without agreement on sequencing' } },
];

let cached: Record<string, { summary: string; value: unknown }> | undefined;

function eventExamples(): Record<string, { summary: string; value: unknown }> {
  if (cached) return cached;
  const lines = readFileSync(exampleDatasetPath(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  const byType = new Map<string, unknown>();
  for (const event of [...lines, ...extra]) if (!byType.has(event.type)) byType.set(event.type, event);
  cached = Object.fromEntries([...byType].map(([type, event]) => [type, { summary: type, value: { events: [event] } }]));
  return cached;
}

export function requestExamples(key: string): { examples?: Record<string, { summary: string; value: unknown }> } {
  return key === 'POST /negotiations/{nid}/events' ? { examples: eventExamples() } : {};
}
