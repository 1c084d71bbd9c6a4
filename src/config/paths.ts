import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding Parley's package.json, whether we run from src/ (tests) or dist/src/. */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const EXAMPLE_NEGOTIATION = 'ukraine-2025';

/** The news items the example was coded from (one Reuters report). */
export function exampleNewsPath(): string {
  return join(projectRoot(), 'examples', EXAMPLE_NEGOTIATION, 'news.ndjson');
}

export function exampleDatasetPath(): string {
  return join(projectRoot(), 'examples', EXAMPLE_NEGOTIATION, 'events.ndjson');
}
