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
