import { DomainError } from '../../shared/domain-error';

export class UnknownVersion extends DomainError {
  readonly code = 'NEGOTIATION.UNKNOWN_VERSION';
  constructor(
    readonly negotiationId: string,
    readonly version: number,
    readonly current: number,
  ) {
    super(`"${negotiationId}" has no version ${version}: it is at version ${current}`);
  }
}

export class UnknownScenario extends DomainError {
  readonly code = 'SCENARIO.UNKNOWN';
  constructor(
    readonly negotiationId: string,
    readonly scenario: string,
    closedAt?: string,
  ) {
    super(closedAt ? `Scenario "${scenario}" of "${negotiationId}" was closed at ${closedAt}` : `"${negotiationId}" has no scenario "${scenario}"`);
  }
}
