import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database/schema';

/** Who coded an event and who accepted it in review (contract v4), as its metadata records. */
export interface Coders {
  codedBy: string | null;
  reviewedBy: string | null;
}

const NOBODY: Coders = { codedBy: null, reviewedBy: null };

/**
 * The coders of the events behind projected rows, in one query: the stance projection keeps
 * event ids, the log keeps who wrote them, so a panel or a history names them without the
 * projection carrying (and a rebuild recomputing) a copy.
 */
export async function codersOf(db: Kysely<Database>, eventIds: readonly string[]): Promise<(eventId: string) => Coders> {
  const unique = [...new Set(eventIds)];
  if (unique.length === 0) return () => NOBODY;
  const { rows } = await sql<{ id: string; coded_by: string | null; reviewed_by: string | null }>`
    select id, metadata->>'codedBy' as coded_by, metadata->>'reviewedBy' as reviewed_by
    from events where id = any(${unique}::uuid[]) and (metadata ? 'codedBy' or metadata ? 'reviewedBy')`.execute(db);
  const found = new Map(rows.map((r) => [r.id, { codedBy: r.coded_by, reviewedBy: r.reviewed_by }]));
  return (eventId) => found.get(eventId) ?? NOBODY;
}
