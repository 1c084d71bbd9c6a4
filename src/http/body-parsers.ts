import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config/config';
import { NDJSON_TYPES } from './content-type';

/** What a body parser refuses with: the error filter answers it in the contract's shape. */
export class BodyRefused extends Error {
  constructor(
    readonly status: 400 | 415,
    message: string,
  ) {
    super(message);
  }
}

export interface BodyLimits {
  json: number;
  ndjson: number;
}

/** The body limits in bytes, for the parsers and for the 413 that names them. */
export function bodyLimits(config: Pick<Config, 'PARLEY_BODY_LIMIT' | 'PARLEY_IMPORT_LIMIT'>): BodyLimits {
  return { json: bytesOf(config.PARLEY_BODY_LIMIT), ndjson: bytesOf(config.PARLEY_IMPORT_LIMIT) };
}

/** The limit a body of this content type was read under. */
export function limitFor(contentType: string | undefined, limits: BodyLimits): number {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return NDJSON_TYPES.includes(type) ? limits.ndjson : limits.json;
}

/** `2mb`, `512kb` (config.ts checks the form) in bytes. */
function bytesOf(size: string): number {
  const match = /^(\d+)(kb|mb)$/i.exec(size);
  if (!match) throw new Error(`Not a size: ${size}`);
  return Number(match[1]) * (match[2]!.toLowerCase() === 'mb' ? 1024 * 1024 : 1024);
}

// The import route takes NDJSON only: a JSON body there is a 415 (content-type.ts), not a JSON parse error.
const isImport = (request: FastifyRequest) => /events(:|%3A)import(\?|$)/i.test(request.url);

/**
 * The bodies Parley reads, as the contract gives them:
 * - JSON up to PARLEY_BODY_LIMIT: an object or an array (a bare `"text"` or `5` is malformed),
 *   an empty body is `{}`, only UTF-8;
 * - NDJSON (and text/plain) up to PARLEY_IMPORT_LIMIT, as text, for imports and restores;
 * - any other type is read (within the JSON limit) and left out, so the route answers for it
 *   (a 415 naming the types it takes, or the 400 of a missing body), as it would with no body.
 */
export function registerBodyParsers(instance: FastifyInstance, limits: BodyLimits): void {
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: limits.json }, (request, body, done) => {
    if (isImport(request)) return done(null, undefined);
    const charset = /;\s*charset=("?)([^";\s]+)\1/i.exec(request.headers['content-type'] ?? '')?.[2];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) return done(new BodyRefused(415, `Unsupported charset "${charset.toUpperCase()}"`), undefined);
    const text = body as string;
    if (text.trim() === '') return done(null, {});
    const first = text.trimStart()[0];
    if (first !== '{' && first !== '[') return done(new BodyRefused(400, `Malformed JSON: a body is an object or an array, not ${JSON.stringify(text.trim().slice(0, 20))}`), undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new BodyRefused(400, `Malformed JSON: ${(error as Error).message}`), undefined);
    }
  });
  instance.addContentTypeParser(NDJSON_TYPES, { parseAs: 'string', bodyLimit: limits.ndjson }, (_request, body, done) => done(null, body));
  instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.json }, (_request, _body, done) => done(null, undefined));
}
