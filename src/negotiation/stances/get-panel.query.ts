import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CONFIG, type Config } from '../../config/config';
import { codersOf } from '../reading/coders';
import { InvalidRequest } from '../../shared/domain-error';
import { ReadGate, type ReadContext } from '../../projection-runner/read-gate';
import { openAsOf, readStamp, type AsOfQuery } from '../reading/open-as-of';
import type { Source } from '../domain/events';
import { issuesKnown, partiesKnown, timelineOf, type KnownIssue, type KnownParty } from './stance.repository';
import { heldKey, stancesAlong } from './stance-sweep';

/** One party's stance on one issue at one point of the panel. */
export interface PanelRow {
  at: string;
  party: string;
  issue: string;
  value: number;
  salience: number | null;
  confidence: number | null;
  uncertainty: { low: number; high: number } | null;
  basis: string | null;
  since: string;
  sincePrecision: string;
  eventId: string;
  source: Source | null;
  recordedAt: string;
  scale: { min: number; max: number };
  /** Who coded the event that set the stance, and who accepted it in review (null: unnamed, or not reviewed). */
  codedBy: string | null;
  reviewedBy: string | null;
  /** On a scenario branch only: whether the stance is one of the branch's hypothetical events. */
  hypothetical?: boolean;
}

export interface Panel {
  knownAt: string;
  publicAt: string | null;
  version: number;
  periods: 'start' | 'end';
  corrections: 'known' | 'public';
  scenario?: string;
  /** Produced as they are read: a long panel is never held in memory whole. */
  rows: Iterable<PanelRow>;
  /** The panel's parties and issues as known at knownAt (its codebook), in the rows' order. */
  parties: KnownParty[];
  issues: KnownIssue[];
  /** The points asked for. */
  points: Date[];
  /** Every party × issue × point, the cell's row or null where the party holds no stance (a balanced panel). */
  cells(): Iterable<{ at: Date; party: string; issue: string; row: PanelRow | null }>;
}

export class GetPanel extends Query<Panel> {
  constructor(
    readonly negotiationId: string,
    readonly points: Date[],
    readonly query: Omit<AsOfQuery, 'at'>,
    readonly read?: ReadContext,
  ) {
    super();
  }
}

/** Every party × issue × point with a stance, by the one sweep series use (stancesAlong). */
@QueryHandler(GetPanel)
export class GetPanelHandler implements IQueryHandler<GetPanel> {
  constructor(
    private readonly gate: ReadGate,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async execute({ negotiationId, points, query, read }: GetPanel): Promise<Panel> {
    const { db, asOf } = await openAsOf(this.gate, negotiationId, query, read);
    const [parties, issues] = await Promise.all([partiesKnown(db, negotiationId, asOf), issuesKnown(db, negotiationId, asOf)]);
    const size = points.length * parties.length * issues.length;
    if (size > this.config.PARLEY_PANEL_MAX_CELLS) {
      throw new InvalidRequest([{
        path: ['step'],
        message: `The panel would span ${size} cells (${points.length} points × ${parties.length} parties × ${issues.length} issues), over PARLEY_PANEL_MAX_CELLS (${this.config.PARLEY_PANEL_MAX_CELLS}): use a larger step or a shorter range`,
      }]);
    }
    const timeline = await timelineOf(db, negotiationId, parties.map((p) => p.party), asOf);
    const coders = await codersOf(db, timeline.map((fact) => fact.eventId));
    function* cells(): Generator<{ at: Date; party: string; issue: string; row: PanelRow | null }> {
      for (const { at, held } of stancesAlong(timeline, points)) {
        for (const party of parties) {
          for (const issue of issues) {
            const stance = held.get(heldKey(party.party, issue.issue));
            const row: PanelRow | null = stance
              ? {
                  at: at.toISOString(),
                  party: party.party,
                  issue: issue.issue,
                  value: stance.value,
                  salience: stance.salience,
                  confidence: stance.confidence,
                  uncertainty: stance.uncertainty,
                  basis: stance.basis,
                  since: stance.occurredAt.toISOString(),
                  sincePrecision: stance.datePrecision ?? 'instant',
                  eventId: stance.eventId,
                  source: stance.source,
                  recordedAt: stance.recordedAt.toISOString(),
                  scale: { min: issue.scale.min, max: issue.scale.max },
                  ...coders(stance.eventId),
                  ...(stance.hypothetical === undefined ? {} : { hypothetical: stance.hypothetical }),
                }
              : null;
            yield { at, party: party.party, issue: issue.issue, row };
          }
        }
      }
    }
    function* rows(): Generator<PanelRow> {
      for (const cell of cells()) if (cell.row) yield cell.row;
    }
    return { knownAt: asOf.knownAt.toISOString(), ...readStamp(asOf), rows: rows(), parties, issues, points, cells };
  }
}

/** A panel row as a flat CSV record (the column order of PANEL_COLUMNS). */
export const PANEL_COLUMNS = [
  'at', 'party', 'issue', 'value', 'salience', 'confidence', 'uncertaintyLow', 'uncertaintyHigh', 'basis', 'since', 'sincePrecision',
  'eventId', 'sourceUrl', 'sourcePublisher', 'sourcePublishedAt', 'sourceItemId', 'recordedAt', 'scaleMin', 'scaleMax',
  'codedBy', 'reviewedBy',
] as const;

/** Panel rows as CSV records, one by one (the panel is never held whole). */
export function* flatPanelRows(rows: Iterable<PanelRow>): Generator<ReturnType<typeof flatPanelRow>> {
  for (const row of rows) yield flatPanelRow(row);
}

export function flatPanelRow(row: PanelRow): Record<(typeof PANEL_COLUMNS)[number], string | number | null> {
  const { uncertainty, source, scale, ...plain } = row;
  return {
    ...plain,
    uncertaintyLow: uncertainty?.low ?? null,
    uncertaintyHigh: uncertainty?.high ?? null,
    sourceUrl: source?.url ?? null,
    sourcePublisher: source?.publisher ?? null,
    sourcePublishedAt: source?.publishedAt ?? null,
    sourceItemId: source?.itemId ?? null,
    scaleMin: scale.min,
    scaleMax: scale.max,
  };
}
