import { alertLabels, EDGE_ALERT_HOLD_MS, LEVEL_ALERT_RESENDS_AHEAD, type AlertRule } from './alert-labels';
import type { Firing } from './judge-append';

/** One alert in Alertmanager's `POST /api/v2/alerts` body (its PostableAlert). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

export const alertmanagerAlertsUrl = (base: string) => `${base.replace(/\/+$/, '')}/api/v2/alerts`;

/**
 * A firing as Alertmanager expects it. A level alert (it has a key) ends a few re-send
 * intervals ahead and is re-sent while open; its resolution ends it at the resolving change.
 * An edge alert (a crossing, a change, a restatement) is held for an hour and never re-sent.
 */
export function postableAlert(
  firing: Pick<Firing, 'type' | 'key' | 'summary' | 'at'> & { rule: AlertRule; startsAt?: Date; before?: unknown; after?: unknown; triggeringEvent?: Firing['triggeringEvent'] },
  options: { externalUrl: string; resendMs: number; now?: Date },
): PostableAlert {
  const starts = firing.startsAt ?? firing.at;
  const now = options.now ?? firing.at;
  const ends =
    firing.type === 'AlertResolved'
      ? firing.at
      : firing.key !== undefined
        ? new Date(now.getTime() + LEVEL_ALERT_RESENDS_AHEAD * options.resendMs)
        : new Date(starts.getTime() + EDGE_ALERT_HOLD_MS);
  return {
    labels: alertLabels(firing.rule, firing.type === 'AlertResolved' ? 'AlertFired' : firing.type, firing.key),
    annotations: {
      summary: firing.summary,
      ...(firing.before !== undefined ? { before: JSON.stringify(firing.before) } : {}),
      ...(firing.after !== undefined ? { after: JSON.stringify(firing.after) } : {}),
      ...(firing.triggeringEvent ? { event: `${options.externalUrl}/negotiations/${firing.rule.negotiationId}/events?after=${firing.triggeringEvent.globalPosition - 1}&limit=1` } : {}),
    },
    startsAt: starts.toISOString(),
    endsAt: ends.toISOString(),
    generatorURL: `${options.externalUrl}/negotiations/${firing.rule.negotiationId}/alerts`,
  };
}
