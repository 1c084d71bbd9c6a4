import type { Readable } from 'node:stream';
import type { QueryBus } from '@nestjs/cqrs';
import type { ReadContext } from '../../projection-runner/read-gate';
import { packageCsvStream } from '../reading/csv';
import { GetNegotiation } from '../reading/get-negotiation.query';
import { GetVersion } from '../reading/get-version.query';
import type { Panel } from './get-panel.query';
import { MISSING, panelPackage } from './panel-package';

/**
 * A panel as the files of its Data Package (panel-package.ts), for the HTTP route and the CLI
 * alike: the descriptor names the negotiation, and the version and hash it was read at.
 */
export async function panelPackageFiles(
  queries: QueryBus,
  negotiationId: string,
  panel: Panel,
  range: { from: Date; to: Date; step: string },
  read?: ReadContext,
): Promise<{ name: string; entries: { name: string; content: string | Readable }[] }> {
  const scenario = panel.scenario;
  const [negotiation, cited] = await Promise.all([
    queries.execute(new GetNegotiation(negotiationId, new Date(panel.knownAt), scenario === undefined ? panel.version || undefined : undefined, read, scenario)),
    panel.version > 0 ? queries.execute(new GetVersion(negotiationId, panel.version)) : Promise.resolve(null),
  ]);
  const { descriptor, tables } = panelPackage(panel, {
    negotiationId,
    title: negotiation.title,
    description: negotiation.description,
    sha256: cited?.sha256 ?? null,
    citation: cited?.citation ?? null,
    ...range,
    created: new Date(),
  });
  const name = `${negotiationId}${scenario === undefined ? '' : `-${scenario}`}-panel`;
  return {
    name,
    entries: [
      { name: `${name}/datapackage.json`, content: `${JSON.stringify(descriptor, null, 2)}\n` },
      ...tables.map((t) => ({ name: `${name}/${t.path}`, content: packageCsvStream(t.records(), t.fields.map((f) => f.name), MISSING) })),
    ],
  };
}
