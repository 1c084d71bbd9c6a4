import { createParamDecorator, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { tap, type Observable } from 'rxjs';
import { z } from 'zod';
import type { ReadContext } from '../projection-runner/read-gate';
import { InvalidRequest } from '../shared/domain-error';

export const POSITION_HEADER = 'Parley-Position';
export const MIN_POSITION_HEADER = 'parley-min-position';
export const SERVED_BY_HEADER = 'Parley-Served-By';

const position = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Each request's read context, so the interceptor finds what the gate told the query. */
const contexts = new WeakMap<Request, ReadContext>();

/**
 * A read's consistency from `Parley-Min-Position` (or `?minPosition=`), parsed once per request:
 * handed to the query explicitly, and told back by the read gate which database answered.
 */
export function readContextOf(request: Request): ReadContext {
  const known = contexts.get(request);
  if (known) return known;
  const header = request.headers[MIN_POSITION_HEADER];
  const query = typeof request.query?.minPosition === 'string' ? request.query.minPosition : undefined;
  const raw = typeof header === 'string' ? header : query;
  let read: ReadContext = {};
  if (raw !== undefined) {
    const parsed = position.safeParse(raw);
    if (!parsed.success) {
      throw new InvalidRequest([{ path: [typeof header === 'string' ? 'Parley-Min-Position' : 'minPosition'], message: 'Expected a global position: a whole number ≥ 0' }]);
    }
    read = { minPosition: parsed.data };
  }
  contexts.set(request, read);
  return read;
}

/** `@ReadAt() read: ReadContext`: the request's read context, for the query it dispatches. */
export const ReadAt = createParamDecorator((_: unknown, context: ExecutionContext): ReadContext => readContextOf(context.switchToHttp().getRequest<Request>()));

/** Puts `Parley-Served-By` on an answer whose read went through the gate. */
export function tellServedBy(response: Response, read: ReadContext): void {
  if (read.servedBy !== undefined && !response.headersSent) response.setHeader(SERVED_BY_HEADER, read.servedBy);
}

/** After a handler that took `@ReadAt()`, says which database answered. */
@Injectable()
export class ServedByInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    return next.handle().pipe(
      tap(() => {
        const read = contexts.get(http.getRequest<Request>());
        if (read) tellServedBy(http.getResponse<Response>(), read);
      }),
    );
  }
}
