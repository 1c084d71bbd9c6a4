import { basisSchema, datePrecisionSchema } from '../domain/events';
import type { Panel, PanelRow } from './get-panel.query';

/**
 * The panel as a Frictionless Tabular Data Package (specs.frictionlessdata.io, v1): a
 * `datapackage.json` that says what produced the tables (the negotiation, the record's version
 * and its SHA-256, knownAt, publicAt, the points) and a Table Schema for each CSV, beside the
 * CSVs themselves:
 * - `data/panel.csv`: the balanced panel, one row per point × party × issue, `NA` where the party
 *   holds no stance (the contract's CSV lists only cells with a stance);
 * - `data/issues.csv` and `data/scale-labels.csv`: the codebook (scales and their labels);
 * - `data/parties.csv`: who the parties are, with aliases and capability.
 * docs/api.md describes the package; tests/e2e/datapackage.e2e-spec.ts validates it against the
 * specifications' JSON Schemas and every row against its declared types.
 */

/** A Table Schema field (the subset Parley uses). */
export interface TableField {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime';
  format?: 'uuid' | 'uri';
  description?: string;
  constraints?: { required?: boolean; enum?: string[] };
}

export interface PackageTable {
  name: string;
  path: string;
  title: string;
  fields: TableField[];
  primaryKey: string[];
  foreignKeys?: { fields: string[]; reference: { resource: string; fields: string[] } }[];
  /** Records keyed by field name; null is written as NA. Produced as the zip is written. */
  records: () => Iterable<Record<string, string | number | boolean | null>>;
}

/** What the package says produced it. */
export interface PackageOrigin {
  negotiationId: string;
  title: string | null;
  description: string | null;
  /** The SHA-256 of the record's events 1..version (GET …/versions/{n}); null at version 0. */
  sha256: string | null;
  citation: string | null;
  from: Date;
  to: Date;
  step: string;
  /** When the package was made. */
  created: Date;
}

export const MISSING = 'NA';

const DAY_MS = 86_400_000;
/** Every point is the end of a UTC day (dates asked, whole-day steps): `at` is then written as that date. */
const endsOfDays = (points: Date[]) => points.every((p) => (p.getTime() + 1) % DAY_MS === 0);
const dateOf = (instant: Date) => instant.toISOString().slice(0, 10);

/** The enums the events themselves allow, as the Table Schema's constraints. */
const BASIS = [...basisSchema.options];
const PRECISION = [...datePrecisionSchema.options];

export function panelPackage(panel: Panel, origin: PackageOrigin): { descriptor: Record<string, unknown>; tables: PackageTable[] } {
  const byDate = endsOfDays(panel.points);
  const hypothetical = panel.scenario !== undefined;
  const panelTable: PackageTable = {
    name: 'panel',
    path: 'data/panel.csv',
    title: 'Stances: one row per point × party × issue',
    primaryKey: ['at', 'party', 'issue'],
    foreignKeys: [
      { fields: ['party'], reference: { resource: 'parties', fields: ['party'] } },
      { fields: ['issue'], reference: { resource: 'issues', fields: ['issue'] } },
    ],
    fields: [
      byDate
        ? { name: 'at', type: 'date', description: 'Valid time: the stance as of the end of this UTC day (23:59:59.999Z)', constraints: { required: true } }
        : { name: 'at', type: 'datetime', description: 'Valid time: the stance as of this instant', constraints: { required: true } },
      { name: 'party', type: 'string', description: 'Party slug (parties.csv)', constraints: { required: true } },
      { name: 'issue', type: 'string', description: 'Issue slug (issues.csv)', constraints: { required: true } },
      { name: 'value', type: 'number', description: "The party's stance on the issue's scale (issues.csv); NA: no stance held" },
      { name: 'salience', type: 'number', description: 'How much the issue matters to the party, in [0, 1]; NA: not coded (analyses impute 0.5)' },
      { name: 'confidence', type: 'number', description: "The coder's confidence in the reading, in [0, 1]" },
      { name: 'uncertaintyLow', type: 'number', description: 'Low end of the range on the scale the stance may lie in' },
      { name: 'uncertaintyHigh', type: 'number', description: 'High end of that range' },
      { name: 'basis', type: 'string', description: 'How the stance is known', constraints: { enum: BASIS } },
      { name: 'since', type: 'datetime', description: 'Valid time of the event that set the stance (its start, when known only to sincePrecision)' },
      { name: 'sincePrecision', type: 'string', description: 'How precisely `since` is known', constraints: { enum: PRECISION } },
      { name: 'eventId', type: 'string', format: 'uuid', description: 'The event that set the stance' },
      { name: 'sourceTitle', type: 'string', description: 'The report it was coded from' },
      { name: 'sourceUrl', type: 'string', format: 'uri' },
      { name: 'sourcePublisher', type: 'string' },
      { name: 'sourcePublishedDate', type: 'date', description: 'The UTC date the source was published' },
      { name: 'sourcePublishedAt', type: 'datetime', description: 'The instant the source was published, where it gave one (NA when it gave only a date)' },
      { name: 'sourceItemId', type: 'string', format: 'uuid', description: "The news item in this installation's inbox it was coded from" },
      { name: 'recordedAt', type: 'datetime', description: 'Recorded time: when Parley learnt of the stance' },
      { name: 'codedBy', type: 'string', description: 'Who coded the event' },
      { name: 'reviewedBy', type: 'string', description: 'Who accepted it in review' },
      ...(hypothetical ? [{ name: 'hypothetical', type: 'boolean', description: "Whether the stance is one of the scenario branch's hypothetical events" } as TableField] : []),
    ],
    records: function* () {
      for (const cell of panel.cells()) {
        yield { at: byDate ? dateOf(cell.at) : cell.at.toISOString(), party: cell.party, issue: cell.issue, ...stanceColumns(cell.row, hypothetical) };
      }
    },
  };
  const tables: PackageTable[] = [
    panelTable,
    {
      name: 'issues',
      path: 'data/issues.csv',
      title: 'Codebook: the issues and their scales',
      primaryKey: ['issue'],
      fields: [
        { name: 'issue', type: 'string', constraints: { required: true } },
        { name: 'title', type: 'string', constraints: { required: true } },
        { name: 'scaleMin', type: 'number', constraints: { required: true } },
        { name: 'scaleMax', type: 'number', constraints: { required: true } },
        { name: 'minLabel', type: 'string', description: 'What the low end of the scale means' },
        { name: 'maxLabel', type: 'string', description: 'What the high end of the scale means' },
      ],
      records: () =>
        panel.issues.map((i) => ({ issue: i.issue, title: i.title, scaleMin: i.scale.min, scaleMax: i.scale.max, minLabel: i.scale.labels[String(i.scale.min)] ?? null, maxLabel: i.scale.labels[String(i.scale.max)] ?? null })),
    },
    {
      name: 'scale-labels',
      path: 'data/scale-labels.csv',
      title: 'Codebook: every labelled point of each scale',
      primaryKey: ['issue', 'value'],
      foreignKeys: [{ fields: ['issue'], reference: { resource: 'issues', fields: ['issue'] } }],
      fields: [
        { name: 'issue', type: 'string', constraints: { required: true } },
        { name: 'value', type: 'number', constraints: { required: true } },
        { name: 'label', type: 'string', constraints: { required: true } },
      ],
      records: () =>
        panel.issues.flatMap((i) =>
          Object.entries(i.scale.labels)
            .map(([value, label]) => ({ issue: i.issue, value: Number(value), label }))
            .sort((a, b) => a.value - b.value),
        ),
    },
    {
      name: 'parties',
      path: 'data/parties.csv',
      title: 'The parties',
      primaryKey: ['party'],
      fields: [
        { name: 'party', type: 'string', constraints: { required: true } },
        { name: 'name', type: 'string', constraints: { required: true } },
        { name: 'aliases', type: 'string', description: 'Other names, separated by "; "' },
        { name: 'capability', type: 'number', description: 'Relative weight in [0, 1] for outcome models; NA: not coded' },
      ],
      records: () => panel.parties.map((p) => ({ party: p.party, name: p.name, aliases: p.aliases.length > 0 ? p.aliases.join('; ') : null, capability: p.capability })),
    },
  ];
  const descriptor = {
    profile: 'tabular-data-package',
    name: `parley-${origin.negotiationId}${panel.scenario === undefined ? '' : `-${panel.scenario}`}-panel`,
    title: `${origin.title ?? origin.negotiationId}: stances, ${dateOf(origin.from)} to ${dateOf(origin.to)}${panel.scenario === undefined ? '' : ` (scenario ${panel.scenario})`}`,
    ...(origin.description ? { description: origin.description } : {}),
    created: origin.created.toISOString(),
    ...(origin.citation ? { sources: [{ title: origin.citation }] } : {}),
    // What produced the tables, exactly: the same query against the same record gives the same rows.
    parley: {
      negotiation: origin.negotiationId,
      version: panel.version,
      sha256: origin.sha256,
      citation: origin.citation,
      knownAt: panel.knownAt,
      publicAt: panel.publicAt,
      periods: panel.periods,
      corrections: panel.corrections,
      ...(panel.scenario === undefined ? {} : { scenario: panel.scenario }),
      from: origin.from.toISOString(),
      to: origin.to.toISOString(),
      step: origin.step,
      points: panel.points.length,
    },
    resources: tables.map((t) => ({
      profile: 'tabular-data-resource',
      name: t.name,
      path: t.path,
      title: t.title,
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      schema: { fields: t.fields, primaryKey: t.primaryKey, ...(t.foreignKeys ? { foreignKeys: t.foreignKeys } : {}), missingValues: [MISSING] },
    })),
  };
  return { descriptor, tables };
}

/** A cell's stance columns; all NA where the party holds no stance. */
function stanceColumns(row: PanelRow | null, hypothetical: boolean): Record<string, string | number | boolean | null> {
  const published = row?.source?.publishedAt ?? null;
  const dated = published !== null && /^\d{4}-\d{2}-\d{2}$/.test(published);
  return {
    value: row?.value ?? null,
    salience: row?.salience ?? null,
    confidence: row?.confidence ?? null,
    uncertaintyLow: row?.uncertainty?.low ?? null,
    uncertaintyHigh: row?.uncertainty?.high ?? null,
    basis: row?.basis ?? null,
    since: row?.since ?? null,
    sincePrecision: row?.sincePrecision ?? null,
    eventId: row?.eventId ?? null,
    sourceTitle: row?.source?.title ?? null,
    sourceUrl: row?.source?.url ?? null,
    sourcePublisher: row?.source?.publisher ?? null,
    sourcePublishedDate: published === null ? null : dated ? published : dateOf(new Date(published)),
    sourcePublishedAt: published === null || dated ? null : new Date(published).toISOString(),
    sourceItemId: row?.source?.itemId ?? null,
    recordedAt: row?.recordedAt ?? null,
    codedBy: row?.codedBy ?? null,
    reviewedBy: row?.reviewedBy ?? null,
    ...(hypothetical ? { hypothetical: row ? (row.hypothetical ?? false) : null } : {}),
  };
}
