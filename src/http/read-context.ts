import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from './platform';
import { z } from 'zod';
import type { ReadContext } from '../projection-runner/read-gate';
import { InvalidRequest } from '../shared/domain-error';

export const POSITION_HEADER = 'Parley-Position';
export const MIN_POSITION_HEADER = 'parley-min-position';
export const SERVED_BY_HEADER = 'Parley-Served-By';

const position = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Each request's read context: the as-of cache and the handler's `@ReadAt()` share one. */
const contexts = new WeakMap<Request, ReadContext>();

/**
 * A read's consistency from `Parley-Min-Position` (or `?minPosition=`), parsed once per request:
 * handed to the query explicitly. When the read gate tells it which database answered, that
 * goes straight into `Parley-Served-By` (no interceptor: a global one cost every route,
 * POST included, about 8 % of its throughput).
 */
export function readContextOf(request: Request, response?: Response): ReadContext {
  const known = contexts.get(request);
  if (known) return known;
  const header = request.headers[MIN_POSITION_HEADER];
  const query = typeof request.query?.minPosition === 'string' ? request.query.minPosition : undefined;
  const raw = typeof header === 'string' ? header : query;
  let minPosition: number | undefined;
  if (raw !== undefined) {
    const parsed = position.safeParse(raw);
    if (!parsed.success) {
      throw new InvalidRequest([{ path: [typeof header === 'string' ? 'Parley-Min-Position' : 'minPosition'], message: 'Expected a global position: a whole number ≥ 0' }]);
    }
    minPosition = parsed.data;
  }
  let servedBy: string | undefined;
  const read: ReadContext = { minPosition };
  Object.defineProperty(read, 'servedBy', {
    enumerable: true,
    get: () => servedBy,
    set: (by: string) => {
      servedBy = by;
      if (response) tellServedBy(response, read);
    },
  });
  contexts.set(request, read);
  return read;
}

/** `@ReadAt() read: ReadContext`: the request's read context, for the query it dispatches. */
export const ReadAt = createParamDecorator((_: unknown, context: ExecutionContext): ReadContext =>
  readContextOf(context.switchToHttp().getRequest<Request>(), context.switchToHttp().getResponse<Response>()),
);

/** Puts `Parley-Served-By` on an answer whose read went through the gate. */
function tellServedBy(response: Response, read: ReadContext): void {
  if (read.servedBy !== undefined && !response.sent) response.header(SERVED_BY_HEADER, read.servedBy);
}
