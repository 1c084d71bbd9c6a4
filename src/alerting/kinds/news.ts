import type { RuleDefinition } from '../alert-rules';
import type { AlertKind, Measure } from './kind';

type Rule = Extract<RuleDefinition, { kind: 'news' }>;

/** News rules are judged on arriving items (judge-news.ts), not on appends: nothing to measure here. */
export const news: AlertKind<Rule, Extract<Measure, { kind: 'news' }>> = {
  measure: async () => ({ kind: 'news' }),
  judge: () => [],
  conditions: () => null,
  cleared: () => '',
};
