import { eventDataSchemas, type EventData, type TypedData } from './events';
import type { NegotiationState } from './state';
import { CLOCK_SKEW_MS } from './time';

export type Path = (string | number)[];

export interface RuleIssue {
  code: string;
  path: Path;
  message: string;
}

/**
 * The rules a well-formed event must keep against the negotiation as it stands (the state
 * after every earlier event, including earlier ones of the same batch). Paths are relative to
 * the event. An empty list means the event may be appended.
 */
export function checkEvent(state: NegotiationState, event: TypedData & { occurredAt: Date }, now: Date): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (event.occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    issues.push(issue('FUTURE_DATE', ['occurredAt'], `occurredAt ${event.occurredAt.toISOString()} is in the future`));
  }
  if (event.type === 'NegotiationOpened') {
    if (state.opened) issues.push(issue('ALREADY_OPENED', ['type'], 'The negotiation is already open'));
    return issues;
  }
  if (!state.opened) {
    issues.push(issue('NOT_OPENED', ['type'], 'The negotiation is not open: its first event must be NegotiationOpened'));
    return issues;
  }
  return [...issues, ...checkData(state, event, ['data'], now)];
}

/** The checks every event type draws on, with paths under `at` (the event's data, or a correction's). */
function checksAt(state: NegotiationState, at: Path) {
  const party = (slug: string, path: Path) =>
    state.parties.has(slug) ? [] : [issue('UNKNOWN_PARTY', [...at, ...path], `Unknown party "${slug}"`)];
  const onScale = (slug: string, value: number, path: Path) => {
    const known = state.issues.get(slug);
    if (!known) return [issue('UNKNOWN_ISSUE', [...at, ...path.slice(0, -1), 'issue'], `Unknown issue "${slug}"`)];
    const { min, max } = known.scale;
    return value < min || value > max
      ? [issue('VALUE_OFF_SCALE', [...at, ...path], `${value} is outside the scale of ${slug} (${min} to ${max})`)]
      : [];
  };
  // An uncertainty range lies on the scale too (an unknown issue is reported once, by the value).
  const rangeOnScale = (slug: string, range: { low: number; high: number } | undefined, path: Path) =>
    range && state.issues.has(slug)
      ? [...onScale(slug, range.low, [...path, 'uncertainty', 'low']), ...onScale(slug, range.high, [...path, 'uncertainty', 'high'])]
      : [];
  const knownIssue = (slug: string, path: Path) =>
    state.issues.has(slug) ? [] : [issue('UNKNOWN_ISSUE', [...at, ...path], `Unknown issue "${slug}"`)];
  const position = (p: { party?: string; issue: string; value: number; uncertainty?: { low: number; high: number } }, path: Path) => [
    ...(p.party === undefined ? [] : party(p.party, [...path, 'party'])),
    ...onScale(p.issue, p.value, [...path, 'value']),
    ...rangeOnScale(p.issue, p.uncertainty, path),
  ];
  return { party, onScale, knownIssue, position };
}

/** The event's data against the state; `event` is a type with its data (a correction's, too). */
function checkData(state: NegotiationState, event: TypedData, at: Path, now: Date): RuleIssue[] {
  const { party, onScale, knownIssue, position } = checksAt(state, at);
  switch (event.type) {
    case 'PartyAdded': {
      const d = event.data;
      return state.parties.has(d.party) ? [issue('DUPLICATE_PARTY', [...at, 'party'], `Party "${d.party}" is already added`)] : [];
    }
    case 'IssueDefined': {
      const d = event.data;
      if (state.issues.has(d.issue)) return [issue('DUPLICATE_ISSUE', [...at, 'issue'], `Issue "${d.issue}" is already defined`)];
      // The status quo is a point of the issue's own scale.
      const scale = d.scale ?? { min: 0, max: 100 };
      return d.statusQuo !== undefined && (d.statusQuo < scale.min || d.statusQuo > scale.max)
        ? [issue('VALUE_OFF_SCALE', [...at, 'statusQuo'], `statusQuo ${d.statusQuo} lies outside the scale ${scale.min}–${scale.max}`)]
        : [];
    }
    case 'PositionStated': {
      const d = event.data;
      return position(d, []);
    }
    case 'ProposalTabled': {
      const d = event.data;
      return [
        ...d.sponsors.flatMap((s, i) => party(s, ['sponsors', i])),
        ...d.positions.flatMap((p, i) => position(p, ['positions', i])),
      ];
    }
    case 'MeetingHeld': {
      const d = event.data;
      return [
        ...d.participants.flatMap((p, i) => party(p, ['participants', i])),
        ...(d.positions ?? []).flatMap((p, i) => position(p, ['positions', i])),
      ];
    }
    case 'PositionWithdrawn': {
      const d = event.data;
      return [...party(d.party, ['party']), ...knownIssue(d.issue, ['issue'])];
    }
    case 'RedLineDeclared': {
      const d = event.data;
      const bounds = (['min', 'max'] as const).flatMap((bound) => {
        const v = d.acceptable[bound];
        return v === undefined ? [] : onScale(d.issue, v, ['acceptable', bound]);
      });
      // onScale reports an unknown issue once per bound; once is enough.
      const unique = bounds.filter((b, i) => bounds.findIndex((o) => o.message === b.message) === i);
      return [...party(d.party, ['party']), ...unique];
    }
    case 'OutcomeRecorded': {
      const d = event.data;
      return d.value === null ? knownIssue(d.issue, ['issue']) : onScale(d.issue, d.value, ['value']);
    }
    case 'EventCorrected':
      return checkCorrection(state, event.data, at, now);
    case 'EventRetracted':
      return checkTarget(state, event.data.target, [...at, 'target']);
    case 'NegotiationOpened':
    // Whether the item exists is the news context's to say (NegotiationWriter's citation check).
    case 'NewsItemDismissed':
      return [];
    default:
      return unchecked(event);
  }
}

/** A new event type fails tsc here until the rules say what it must keep. */
function unchecked(event: never): never {
  throw new Error(`No rules for ${(event as { type: string }).type}`);
}

function checkTarget(state: NegotiationState, target: string, path: Path): RuleIssue[] {
  const known = state.targets.get(target);
  if (!known) {
    return [issue('UNKNOWN_TARGET', path, `No position-carrying event or recorded outcome ${target} in this negotiation`)];
  }
  if (known.retracted) return [issue('TARGET_RETRACTED', path, `Event ${target} is retracted`)];
  return [];
}

function checkCorrection(
  state: NegotiationState,
  correction: EventData['EventCorrected'],
  at: Path,
  now: Date,
): RuleIssue[] {
  const targetIssues = checkTarget(state, correction.target, [...at, 'target']);
  if (targetIssues.length > 0) return targetIssues;
  const targetType = state.targets.get(correction.target)!.type;
  const issues: RuleIssue[] = [];
  if (correction.occurredAt && new Date(correction.occurredAt).getTime() > now.getTime() + CLOCK_SKEW_MS) {
    issues.push(issue('FUTURE_DATE', [...at, 'occurredAt'], 'The corrected occurredAt is in the future'));
  }
  const parsed = eventDataSchemas[targetType].safeParse(correction.data);
  if (!parsed.success) {
    return [
      ...issues,
      ...parsed.error.issues.map((i) =>
        issue('INVALID_CORRECTION', [...at, 'data', ...i.path.map(String)], `As ${targetType}: ${i.message}`),
      ),
    ];
  }
  // The schema of targetType parsed it: the data is that type's (zod types it as any type's).
  return [...issues, ...checkData(state, { type: targetType, data: parsed.data } as TypedData, [...at, 'data'], now)];
}

function issue(code: string, path: Path, message: string): RuleIssue {
  return { code: `NEGOTIATION.${code}`, path, message };
}
