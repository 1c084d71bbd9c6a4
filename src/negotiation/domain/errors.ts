import { DomainError } from '../../event-store/errors';
import type { Path, RuleIssue } from './rules';

/** Domain errors: typed, with stable codes, mapped to HTTP once (src/http/error.filter.ts). */
export class RuleViolation extends DomainError {
  readonly code = 'NEGOTIATION.RULE_VIOLATION';
  constructor(readonly issues: (RuleIssue & { line?: number })[]) {
    super(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
}

/** A request that does not have the shape we accept (HTTP 400, CLI exit 1). */
export class InvalidRequest extends DomainError {
  readonly code = 'REQUEST.INVALID';
  constructor(readonly issues: { path: Path; message: string; line?: number }[]) {
    super(issues.map((i) => `${i.line ? `line ${i.line}: ` : ''}${i.path.join('.')}: ${i.message}`).join('; '));
  }
}

export class UnknownNegotiation extends DomainError {
  readonly code = 'NEGOTIATION.UNKNOWN';
  constructor(readonly negotiationId: string) {
    super(`No negotiation "${negotiationId}"`);
  }
}
