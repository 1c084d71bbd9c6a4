import type { Firing } from './judge-append';

/** How long Alertmanager keeps an edge alert (a crossing, a change) that is never resolved. */
export const EDGE_ALERT_HOLD_MS = 3_600_000;
/** A level alert's endsAt lies this many re-send intervals ahead, so one lost re-send does not resolve it. */
export const LEVEL_ALERT_RESENDS_AHEAD = 4;

/** What labels name of a rule. */
export interface AlertRule {
  ruleId: string;
  negotiationId: string;
  name: string;
  definition: { kind: string; a?: string; b?: string; party?: string; parties?: [string, string]; issue?: string };
}

/** The pair and issue a rule watches, when it names them: labels Alertmanager can route on. */
function scope(definition: AlertRule['definition']): Record<string, string> {
  const pair = definition.a && definition.b ? `${definition.a}-${definition.b}` : definition.parties ? definition.parties.join('-') : undefined;
  return { ...(pair ? { pair } : {}), ...(definition.issue ? { issue: definition.issue } : {}) };
}

/**
 * The labels an alert carries to webhooks and Alertmanager. Stable for one rule and key, so a
 * re-send and the resolution name the same alert (Alertmanager identifies alerts by labels).
 */
export function alertLabels(rule: AlertRule, type: Firing['type'], key?: string): Record<string, string> {
  return {
    alertname: rule.name,
    negotiation: rule.negotiationId,
    rule: rule.ruleId,
    kind: rule.definition.kind,
    severity: type === 'AlertRestated' ? 'info' : 'warning',
    ...scope(rule.definition),
    ...(key ? { party: key } : {}),
  };
}
