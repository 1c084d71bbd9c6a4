import type { Readable } from 'node:stream';
import archiver from 'archiver';

/**
 * Files as one zip stream: each entry is written as the reader reads, in the order given
 * (archiver queues them), so a large panel is never held in memory whole.
 */
export function zipStream(entries: { name: string; content: string | Readable }[]): Readable {
  const archive = archiver('zip', { zlib: { level: 6 } });
  for (const entry of entries) archive.append(entry.content, { name: entry.name });
  void archive.finalize();
  return archive;
}
