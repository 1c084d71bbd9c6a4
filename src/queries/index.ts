import { analysisHandlers } from './analysis.queries';
import { GetGapSeriesHandler } from './get-gap-series.query';
import { GetGapsHandler } from './get-gaps.query';
import { GetNegotiationHandler } from './get-negotiation.query';
import { GetStancesHandler } from './get-stances.query';
import { ListNegotiationsHandler } from './list-negotiations.query';
import { ReadEventsHandler } from './read-events.query';

export const queryHandlers = [
  ListNegotiationsHandler,
  GetNegotiationHandler,
  ReadEventsHandler,
  GetStancesHandler,
  GetGapsHandler,
  GetGapSeriesHandler,
  ...analysisHandlers,
];
