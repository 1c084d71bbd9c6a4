import type { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import archiver from 'archiver';

/**
 * Files as one zip, streamed: each entry is written as the client reads, in the order given
 * (archiver queues them), so a large panel is never held in memory whole.
 */
export function zipFile(entries: { name: string; content: string | Readable }[], filename: string): StreamableFile {
  const archive = archiver('zip', { zlib: { level: 6 } });
  for (const entry of entries) archive.append(entry.content, { name: entry.name });
  void archive.finalize();
  return new StreamableFile(archive, { type: 'application/zip', disposition: `attachment; filename="${filename}"` });
}
