import { GetNegotiationHandler } from './get-negotiation.query';
import { ListNegotiationsHandler } from './list-negotiations.query';
import { ReadEventsHandler } from './read-events.query';

export const queryHandlers = [ListNegotiationsHandler, GetNegotiationHandler, ReadEventsHandler];
