import { sql } from 'kysely';
import type { DatabaseConnection } from '../database/connection';
import { Periodic } from '../outbound/periodic';
import { outboundRequest } from '../outbound/request';
import { alertmanagerAlertsUrl, postableAlert, type PostableAlert } from './alertmanager-payload';
import type { Firing } from './judge-append';
import type { AlertRule } from './alert-labels';

export interface ResenderOptions {
  externalUrl: string;
  resendMs: number;
  allow: string[];
  timeoutMs: number;
  /** Only the leader re-sends, so N instances do not post N copies. */
  leading: () => boolean;
  onError: (error: unknown, url: string) => void;
}

/**
 * Alertmanager resolves an alert nobody re-sends once its endsAt passes: every `resendMs` the
 * leader posts each open level alert again, with an endsAt a few intervals ahead. Best effort,
 * like Prometheus' own re-sends: a failed post is logged and the next interval tries again.
 */
export class AlertmanagerResender {
  private readonly periodic: Periodic;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly options: ResenderOptions,
  ) {
    this.periodic = new Periodic(this.options.resendMs, () => this.resend(), () => this.options.leading());
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** Posts every open level alert to its rule's Alertmanager; returns how many alerts were posted. */
  async resend(now = new Date()): Promise<number> {
    const byTarget = new Map<string, PostableAlert[]>();
    for (const row of await this.openAlerts()) {
      // The same labels as the firing's (they are the alert's identity in Alertmanager).
      const rule = { ruleId: row.rule_id, negotiationId: row.negotiation_id, name: row.name, definition: row.params };
      // The firing's annotations too: Alertmanager keeps the last post's, and a re-send without
      // them would erase before, after and the link to the triggering event.
      const firing = { before: row.before ?? undefined, after: row.after ?? undefined, ...(row.triggering ? { triggeringEvent: row.triggering } : {}) };
      const alert = postableAlert({ rule, type: 'AlertFired', key: row.key, summary: row.summary, at: row.starts_at, ...firing }, { ...this.options, now });
      const url = alertmanagerAlertsUrl(row.alertmanager_url);
      byTarget.set(url, [...(byTarget.get(url) ?? []), alert]);
    }
    let posted = 0;
    for (const [url, alerts] of byTarget) {
      try {
        const answer = await outboundRequest(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'parley-alerts' },
          body: JSON.stringify(alerts),
          timeoutMs: this.options.timeoutMs,
          maxBytes: 64 * 1024,
          allow: this.options.allow,
        });
        if (answer.status < 200 || answer.status >= 300) throw new Error(`HTTP ${answer.status}`);
        posted += alerts.length;
      } catch (error) {
        this.options.onError(error, url);
      }
    }
    return posted;
  }

  /** Open level alerts whose rule, as it stands now, posts to an Alertmanager. */
  private async openAlerts() {
    const { rows } = await sql<{
      rule_id: string;
      negotiation_id: string;
      name: string;
      params: AlertRule['definition'];
      key: string;
      summary: string;
      starts_at: Date;
      alertmanager_url: string;
      before: unknown;
      after: unknown;
      triggering: Firing['triggeringEvent'] | null;
    }>`
      select o.rule_id, o.negotiation_id, r.name, r.params, o.key, o.summary, o.starts_at, r.alertmanager_url,
             f.data->'before' as before, f.data->'after' as after, f.data->'triggeringEvent' as triggering
      from open_alerts o
      left join events f on f.id = o.firing_id
      cross join lateral (
        select v.name, v.params, v.alertmanager_url, v.removed from alert_rule_versions v
        where v.rule_id = o.rule_id order by v.position desc limit 1) r
      where not r.removed and r.alertmanager_url is not null
      order by o.starts_at`.execute(this.connection.db);
    return rows;
  }
}
