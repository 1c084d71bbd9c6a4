import { v5 as uuidv5 } from 'uuid';
import { InvalidRequest } from '../../shared/domain-error';
import { eventInputSchema, type EventInput } from '../domain/requests';
import { mapPaced } from '../../shared/paced';

/** Namespace for ids of imported lines that carry none: UUIDv5(negotiation + line). */
export const IMPORT_NAMESPACE = '5b0f4a52-8f3e-4c4e-9d0a-6a1f2b7c9e10';
const MAX_REPORTED = 100;

export interface ParsedLine {
  line: number;
  event: EventInput;
}

/**
 * Parses an NDJSON file of events. Blank lines are skipped; every other line must be one
 * event. A line without `id` gets a UUIDv5 of (negotiation, line content), so importing the
 * same file twice appends nothing the second time. Errors name the line (1-based). The lines
 * are parsed in slices that let other requests run: 130k lines are over a second of CPU.
 */
export async function parseNdjson(
  text: string,
  negotiationId: string,
  onLine?: (line: number, total: number) => void,
): Promise<ParsedLine[]> {
  const lines = text.split(/\r?\n/);
  const parsed: ParsedLine[] = [];
  const issues: InvalidRequest['issues'] = [];
  await mapPaced(lines, (raw, index) => {
    const line = index + 1;
    onLine?.(line, lines.length);
    const content = raw.trim();
    if (content === '') return;
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (error) {
      issues.push({ line, path: [], message: `Not valid JSON: ${(error as Error).message}` });
      return;
    }
    if (json !== null && typeof json === 'object' && !Array.isArray(json) && !('id' in json)) {
      // As bytes: uuid's own conversion of a string to bytes took a third of the parse.
      json = { id: uuidv5(Buffer.from(`${negotiationId}\n${content}`, 'utf8'), IMPORT_NAMESPACE), ...json };
    }
    const result = eventInputSchema.safeParse(json);
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push({ line, path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: issue.message });
      }
      return;
    }
    parsed.push({ line, event: result.data });
  });
  if (issues.length > 0) throw new InvalidRequest(issues.slice(0, MAX_REPORTED));
  if (parsed.length === 0) throw new InvalidRequest([{ path: [], message: 'The file holds no events' }]);
  return parsed;
}
