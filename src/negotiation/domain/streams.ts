/**
 * How a negotiation's streams are named, in one place: the negotiation itself is `<nid>`; its
 * alert rules and firings live in `<nid>.rules` and `<nid>.alerts`, so they never change the
 * negotiation's version. Negotiation ids are slugs, which never hold a dot.
 */
export const rulesStream = (negotiationId: string) => `${negotiationId}.rules`;
export const alertsStream = (negotiationId: string) => `${negotiationId}.alerts`;
/**
 * The review of the negotiation's coding: whether it is required, and the proposals. Never in
 * the record's reads (stances, gaps, alerts, the record's feed and exports): only what a
 * reviewer accepts enters `<nid>`.
 */
export const reviewStream = (negotiationId: string) => `${negotiationId}.review`;
export const isReviewStream = (streamId: string) => /^[^.]+\.review$/.test(streamId);
/**
 * A scenario branch's stream: its bookkeeping and its hypothetical events (domain/scenarios.ts).
 * Never part of the record: stances, gaps, alerts, the feed and exports of the record leave it out.
 */
export const scenarioStream = (negotiationId: string, name: string) => `${negotiationId}.scenario.${name}`;
export const isScenarioStream = (streamId: string) => /^[^.]+\.scenario\.[^.]+$/.test(streamId);
/** News pushed to a negotiation, and its watch terms. */
export const newsStream = (negotiationId: string) => `${negotiationId}.news`;
/**
 * A registered feed: its registration and the items polled from it. The colon keeps it apart
 * from every negotiation (slugs hold none) and from their sub-streams.
 */
export const sourceStream = (sourceId: string) => `sources:${sourceId}`;
export const isSourceStream = (streamId: string) => streamId.startsWith('sources:');

/** True for `<nid>.rules` and `<nid>.alerts`, false for a negotiation's own stream. */
export const isSubStream = (streamId: string) => streamId.includes('.');

/** The negotiation a stream belongs to. */
export const negotiationOf = (streamId: string) => streamId.split('.')[0]!;

/** Whether a stream is the negotiation's or one of its own sub-streams. */
export const belongsTo = (streamId: string, negotiationId: string) =>
  streamId === negotiationId || streamId.startsWith(`${negotiationId}.`);
