import { rmSync } from 'node:fs';
import { EMBEDDED_TEMPLATE_ENV } from './embedded';
import { TEMPLATE_ENV, withAdminClient } from './test-server';

export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (template) {
    await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
  }
  const embedded = process.env[EMBEDDED_TEMPLATE_ENV];
  if (embedded) rmSync(embedded, { recursive: true, force: true });
  const container = (globalThis as { __parleyContainer?: { stop(): Promise<unknown> } })
    .__parleyContainer;
  await container?.stop();
}
