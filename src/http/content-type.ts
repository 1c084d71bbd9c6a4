import { HttpException } from '@nestjs/common';
import typeis from 'type-is';
import type { Request } from './platform';

export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'text/plain'];

/** 415 unless the body is one of `types`; checked before the body's shape. */
export function requireContentType(request: Request, types: string[]): void {
  if (!typeis(request.raw, types)) {
    throw new HttpException(
      {
        error: 'unsupported_media_type',
        message: `Send the body as ${types.join(' or ')} (got ${request.headers['content-type'] ?? 'no content type'})`,
      },
      415,
    );
  }
}
