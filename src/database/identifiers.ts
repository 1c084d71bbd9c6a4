/** A name as a quoted SQL identifier, for statements built as text (LISTEN, COPY). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
