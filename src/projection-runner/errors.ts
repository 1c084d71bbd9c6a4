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

/**
 * A read asked for a position (Parley-Min-Position) the log does not hold. Positions commit in
 * order with the head, so a write's answer is never ahead of the primary's head: the position
 * came from a log that was rewound (a failover to a standby that had not received it) or was
 * made up. Waiting would serve it, later, with other events at that position.
 */
export class PositionBeyondLog extends DomainError {
  readonly code = 'PROJECTIONS.BEYOND_LOG';
  constructor(
    readonly position: number,
    readonly head: number,
  ) {
    super(
      `Position ${position} is beyond the log's head (${head}): the log it came from was rewound (a database failover lost it) ` +
        'or it was never written. Read without it, and re-send what you wrote after the head with the same event ids.',
    );
  }
}
