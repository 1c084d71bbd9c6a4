import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './receiver';
import { freePort } from './free-port';

/** Debian's prometheus-alertmanager, installed by .ci/run: a missing binary fails the test. */
const BINARY = '/usr/bin/prometheus-alertmanager';

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  fingerprint: string;
  status: { state: string };
}


/** A real Alertmanager on loopback, with one receiver that sends nowhere and no clustering. */
export async function startAlertmanager(): Promise<{ url: string; alerts(): Promise<AlertmanagerAlert[]>; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-am-'));
  writeFileSync(join(dir, 'alertmanager.yml'), 'route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n');
  const port = await freePort();
  const child: ChildProcess = spawn(
    BINARY,
    [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
    { stdio: 'ignore' },
  );
  const failed = new Promise<never>((_, reject) => child.once('error', reject));
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([
    failed,
    eventually(async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok, 'Alertmanager to be ready', 20_000),
  ]);
  return {
    url,
    alerts: async () => (await (await fetch(`${url}/api/v2/alerts`)).json()) as AlertmanagerAlert[],
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
