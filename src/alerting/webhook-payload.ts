import type { StoredEvent } from '../event-store/types';
import { toCloudEvent } from '../feed/cloud-event';
import type { Firing } from './judge-append';
import { alertLabels } from './alert-labels';

/**
 * The Alertmanager webhook format (version 4), so existing receivers work unchanged, plus the
 * firing as a CloudEvents envelope under `cloudevent`. The firing's event id is the alert's
 * fingerprint; a resolution carries the fingerprint of the firing it closes, status
 * `resolved` and its endsAt.
 */
export function webhookPayload(firing: Firing, event: StoredEvent, externalUrl: string) {
  const labels = alertLabels(firing.rule, firing.type, firing.key);
  const status = firing.type === 'AlertResolved' ? 'resolved' : 'firing';
  return {
    version: '4',
    groupKey: `{}:{rule="${firing.rule.ruleId}"}`,
    truncatedAlerts: 0,
    status,
    receiver: 'parley',
    groupLabels: { rule: firing.rule.ruleId },
    commonLabels: labels,
    commonAnnotations: { summary: firing.summary },
    externalURL: externalUrl,
    alerts: [
      {
        status,
        labels,
        annotations: {
          summary: firing.summary,
          description: JSON.stringify({ before: firing.before, after: firing.after, ...(firing.from ? { from: firing.from.toISOString() } : {}) }),
        },
        startsAt: (firing.startsAt ?? firing.at).toISOString(),
        endsAt: status === 'resolved' ? firing.at.toISOString() : '0001-01-01T00:00:00Z',
        generatorURL: `${externalUrl}/negotiations/${firing.rule.negotiationId}/alerts`,
        fingerprint: firing.resolves ?? event.id,
      },
    ],
    cloudevent: toCloudEvent(event),
  };
}
