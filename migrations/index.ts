import type { Migration } from 'kysely';
import * as eventStore from './20261130_1100_event_store';
import * as stanceProjection from './20261130_1200_stance_projection';
import * as alerts from './20261130_1300_alerts';
import * as hardening from './20261201_0900_hardening';
import * as appendFunction from './20261201_1000_append_function';
import * as positionDetail from './20261201_1100_position_detail';
import * as publicAt from './20261201_1200_public_at';
import * as alertLevels from './20261201_1300_alert_levels';
import * as news from './20261201_1400_news';
import * as appendSetBased from './20261201_1500_append_set_based';
import * as projectionIndexNames from './20261201_1600_projection_index_names';
import * as appendV3 from './20261204_0900_append_v3';
import * as newsSourceBounds from './20261204_0910_news_source_bounds';
import * as projectedAhead from './20261204_0920_projected_ahead';
import * as rateWindows from './20261204_1200_rate_windows';
import * as scenarios from './20261204_1300_scenarios';
import * as outboxTraceparent from './20261204_1310_outbox_traceparent';
import * as newsMatching from './20261204_1400_news_matching';
import * as amendmentPublicAt from './20261204_1410_amendment_public_at';
import * as firstLook from './20261204_2200_first_look';

/** Every migration, by name. Listed in code so the compiled app needs no folder scan. */
export const migrations: Record<string, Migration> = {
  '20261130_1100_event_store': eventStore,
  '20261130_1200_stance_projection': stanceProjection,
  '20261130_1300_alerts': alerts,
  '20261201_0900_hardening': hardening,
  '20261201_1000_append_function': appendFunction,
  '20261201_1100_position_detail': positionDetail,
  '20261201_1200_public_at': publicAt,
  '20261201_1300_alert_levels': alertLevels,
  '20261201_1400_news': news,
  '20261201_1500_append_set_based': appendSetBased,
  '20261201_1600_projection_index_names': projectionIndexNames,
  '20261204_0900_append_v3': appendV3,
  '20261204_0910_news_source_bounds': newsSourceBounds,
  '20261204_0920_projected_ahead': projectedAhead,
  '20261204_1200_rate_windows': rateWindows,
  '20261204_1300_scenarios': scenarios,
  '20261204_1310_outbox_traceparent': outboxTraceparent,
  '20261204_1400_news_matching': newsMatching,
  '20261204_1410_amendment_public_at': amendmentPublicAt,
  '20261204_2200_first_look': firstLook,
};
