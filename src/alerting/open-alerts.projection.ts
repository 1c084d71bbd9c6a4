import type { Kysely } from 'kysely';
import type { Database } from '../database/schema';
import type { StoredEvent } from '../event-store/types';
import type { Projection } from '../projection-runner/projection';
import { negotiationOf } from '../negotiation/domain/streams';

interface LevelData {
  rule: string;
  key?: string;
  summary: string;
  at: string;
  firing?: string;
}

/**
 * Level alerts that fired and have not resolved, from the `<nid>.alerts` streams: what is
 * re-sent to Alertmanager while it lasts. Rebuilt with the other projections.
 */
async function projectOpenAlerts(db: Kysely<Database>, events: StoredEvent[]): Promise<void> {
  for (const event of events) {
    const data = event.data as LevelData;
    if (event.type === 'AlertFired' && data.key !== undefined) {
      await db
        .insertInto('open_alerts')
        .values({ firing_id: event.id, negotiation_id: negotiationOf(event.streamId), rule_id: data.rule, key: data.key, summary: data.summary, starts_at: data.at })
        .onConflict((oc) => oc.doNothing())
        .execute();
    } else if (event.type === 'AlertResolved' && data.firing) {
      await db.deleteFrom('open_alerts').where('firing_id', '=', data.firing).execute();
    }
  }
}

export const openAlertsProjection: Projection = {
  name: 'open-alerts',
  tables: ['open_alerts'],
  project: projectOpenAlerts,
};
