import { analysisHandlers } from '../analysis/analysis.queries';
import { GetGapSeriesHandler } from '../analysis/get-gap-series.query';
import { GetGapsHandler } from '../analysis/get-gaps.query';
import { GetNegotiationHandler } from './get-negotiation.query';
import { GetStancesHandler } from '../stances/get-stances.query';
import { ListNegotiationsHandler } from './list-negotiations.query';
import { GetVersionHandler } from './get-version.query';
import { ReadEventsHandler } from './read-events.query';
import { GetPanelHandler } from '../stances/get-panel.query';
import { GetBacktestHandler, GetRecordedOutcomesHandler } from '../outcomes/get-backtest.query';

export const queryHandlers = [
  ListNegotiationsHandler,
  GetNegotiationHandler,
  ReadEventsHandler,
  GetVersionHandler,
  GetStancesHandler,
  GetGapsHandler,
  GetGapSeriesHandler,
  GetPanelHandler,
  ...analysisHandlers,
  GetBacktestHandler,
  GetRecordedOutcomesHandler,
];
