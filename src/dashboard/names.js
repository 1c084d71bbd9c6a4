// Parties' names and issues' titles, from the negotiation loaded.
import { store } from './store.js';

export const partyName = (slug) => store.negotiation?.parties.find((p) => p.party === slug)?.name ?? slug;

export const issueTitle = (slug) => store.negotiation?.issues.find((i) => i.issue === slug)?.title ?? slug;
