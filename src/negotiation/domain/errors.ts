import { DomainError } from '../../shared/domain-error';
import type { RuleIssue } from './rules';

/** Domain errors: typed, with stable codes, mapped to HTTP once (src/http/error.filter.ts). */
export class RuleViolation extends DomainError {
  readonly code = 'NEGOTIATION.RULE_VIOLATION';
  constructor(readonly issues: (RuleIssue & { line?: number })[]) {
    super(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
}

export class UnknownNegotiation extends DomainError {
  readonly code = 'NEGOTIATION.UNKNOWN';
  constructor(readonly negotiationId: string) {
    super(`No negotiation "${negotiationId}"`);
  }
}

/**
 * The one "does this negotiation exist": a negotiation is a stream with events (its first is
 * NegotiationOpened). Given the stream's version, however it was read (the read gate's first
 * query, or the store), throws UnknownNegotiation (404) for 0; returns the version.
 */
export function requireNegotiation(negotiationId: string, version: number): number {
  if (version === 0) throw new UnknownNegotiation(negotiationId);
  return version;
}

export class ScenarioExists extends DomainError {
  readonly code = 'SCENARIO.EXISTS';
  constructor(readonly negotiationId: string, readonly scenario: string) {
    super(`"${negotiationId}" has, or had, a scenario "${scenario}": a name is never given twice (the record keeps every branch)`);
  }
}

export class ScenarioClosed extends DomainError {
  readonly code = 'SCENARIO.CLOSED';
  constructor(readonly negotiationId: string, readonly scenario: string) {
    super(`Scenario "${scenario}" of "${negotiationId}" is closed: it takes no more events`);
  }
}
