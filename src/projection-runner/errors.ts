import { DomainError } from '../shared/domain-error';
/** The projection did not catch up with the log in time: the read would not see every write. */
export class ProjectionLagging extends DomainError {
  readonly code = 'PROJECTIONS.LAGGING';
  constructor(
    readonly target: number,
    readonly timeoutMs: number,
  ) {
    super(`The projections did not reach position ${target} within ${timeoutMs} ms; retry shortly`);
  }
}

/** A rebuild is already under way (in this process or another): a second one would undo it. */
export class RebuildRunning extends DomainError {
  readonly code = 'PROJECTIONS.REBUILD_RUNNING';
  constructor() {
    super('A rebuild is running; wait for it to finish');
  }
}
