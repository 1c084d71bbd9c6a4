import type { z } from 'zod';
import { InvalidRequest } from './domain-error';

/** Parses input at the edge: a failure becomes a 400 naming each field (zod's issue path). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, at: (string | number)[] = []): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InvalidRequest(
      result.error.issues.map((issue) => ({
        path: [...at, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
        message: issue.message,
      })),
    );
  }
  return result.data;
}
