import type { Kysely } from 'kysely';
import type { Database } from '../database/schema';
import type { StoredEvent } from '../event-store/types';
import type { Projection } from '../projection-runner/projection';
import { negotiationOf } from '../negotiation/domain/streams';

const RULE_EVENTS = new Set(['AlertRuleCreated', 'AlertRuleChanged', 'AlertRuleRemoved']);

interface RuleEventData {
  rule: string;
  name?: string;
  definition?: { kind: string } & Record<string, unknown>;
  webhookUrl?: string | null;
  alertmanagerUrl?: string | null;
}

/** Alert rules as they stood at each position, projected from the `<nid>.rules` streams. */
async function projectRuleVersions(db: Kysely<Database>, events: StoredEvent[]): Promise<void> {
  const rows = events
    .filter((e) => RULE_EVENTS.has(e.type))
    .map((e) => {
      const data = e.data as RuleEventData;
      const removed = e.type === 'AlertRuleRemoved';
      return {
        rule_id: data.rule,
        position: e.globalPosition,
        negotiation_id: negotiationOf(e.streamId),
        name: removed ? '' : data.name!,
        kind: removed ? 'removed' : data.definition!.kind,
        params: JSON.stringify(removed ? {} : data.definition),
        webhook_url: removed ? null : (data.webhookUrl ?? null),
        alertmanager_url: removed ? null : (data.alertmanagerUrl ?? null),
        removed,
      };
    });
  if (rows.length > 0) await db.insertInto('alert_rule_versions').values(rows).execute();
}

export const ruleVersionsProjection: Projection = {
  name: 'alert-rule-versions',
  tables: ['alert_rule_versions'],
  project: projectRuleVersions,
};
