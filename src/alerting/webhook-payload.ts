import type { StoredEvent } from '../event-store/types';
import { toCloudEvent } from '../feed/cloud-event';
import type { Firing } from './judge-append';

/**
 * The Alertmanager webhook format (version 4), so existing receivers work unchanged, plus the
 * firing as a CloudEvents envelope under `cloudevent`. The firing's event id is the alert's
 * fingerprint and the delivery's idempotency key.
 */
export function webhookPayload(firing: Firing, event: StoredEvent, externalUrl: string) {
  const labels = {
    alertname: firing.rule.name,
    negotiation: firing.rule.negotiationId,
    rule: firing.rule.ruleId,
    kind: firing.rule.definition.kind,
    severity: firing.type === 'AlertRestated' ? 'info' : 'warning',
  };
  return {
    version: '4',
    groupKey: `{}:{rule="${firing.rule.ruleId}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'parley',
    groupLabels: { rule: firing.rule.ruleId },
    commonLabels: labels,
    commonAnnotations: { summary: firing.summary },
    externalURL: externalUrl,
    alerts: [
      {
        status: 'firing',
        labels,
        annotations: {
          summary: firing.summary,
          description: JSON.stringify({ before: firing.before, after: firing.after, ...(firing.from ? { from: firing.from.toISOString() } : {}) }),
        },
        startsAt: firing.at.toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: `${externalUrl}/negotiations/${firing.rule.negotiationId}/alerts`,
        fingerprint: event.id,
      },
    ],
    cloudevent: toCloudEvent(event),
  };
}
