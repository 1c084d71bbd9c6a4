import type { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import { zipStream } from '../shared/zip';

/** Files as one zip answer, streamed (shared/zip.ts). */
export function zipFile(entries: { name: string; content: string | Readable }[], filename: string): StreamableFile {
  return new StreamableFile(zipStream(entries), { type: 'application/zip', disposition: `attachment; filename="${filename}"` });
}
