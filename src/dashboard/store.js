import { params } from './url-state.js';

/**
 * The page's only mutable state besides the URL's (url-state.js): what is loaded, what is
 * open, and the live feed's place. Every module reads and writes it here, nowhere else.
 */
export const store = {
  /** The negotiation's details: parties, issues, span, version. */
  negotiation: null,
  /** The events loaded (the newest page, and older pages asked for). */
  events: [],
  /** Where the next older page starts, or null when the oldest is loaded. */
  olderBefore: null,
  /** The slider's range, in days since the epoch. */
  minDay: 0,
  maxDay: 0,
  /** Until the analyst picks a date, the page follows the story's latest day as news arrives. */
  following: !params.get('at'),
  chart: null,
  /** The news item being coded, if any. */
  codingItem: null,
  /** The live feed: its EventSource, the last position seen, reconnect back-off, a pending refresh. */
  source: null,
  lastSeen: 0,
  retries: 0,
  reconnectTimer: undefined,
  refreshTimer: null,
};
