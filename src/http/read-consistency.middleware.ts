import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { InvalidRequest } from '../shared/domain-error';
import { withReadConsistency } from '../negotiation/reading/read-consistency';

export const POSITION_HEADER = 'Parley-Position';
export const MIN_POSITION_HEADER = 'parley-min-position';
export const SERVED_BY_HEADER = 'Parley-Served-By';

const position = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Reads `Parley-Min-Position` (or `?minPosition=`) into the request's read consistency. */
export function readConsistencyMiddleware(request: Request, response: Response, next: NextFunction): void {
  const header = request.headers[MIN_POSITION_HEADER];
  const query = typeof request.query?.minPosition === 'string' ? request.query.minPosition : undefined;
  const raw = typeof header === 'string' ? header : query;
  const servedBy = (by: string) => {
    if (!response.headersSent) response.setHeader(SERVED_BY_HEADER, by);
  };
  if (raw === undefined) return withReadConsistency({ servedBy }, next);
  const parsed = position.safeParse(raw);
  if (!parsed.success) {
    // Thrown, not passed to next(): Nest hands it to the error filter.
    throw new InvalidRequest([{ path: [typeof header === 'string' ? 'Parley-Min-Position' : 'minPosition'], message: 'Expected a global position: a whole number ≥ 0' }]);
  }
  withReadConsistency({ minPosition: parsed.data, servedBy }, next);
}
