import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(__dirname, '../../dist/src/main.js');

export interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exited: Promise<{ code: number | null; ms: number; stderr: string }>;
}

/** Starts `npm start`'s entry point as a child and waits for its "listening" line. */
export function startChild(env: Record<string, string>): Promise<Running> {
  const child = spawn('node', [MAIN], { env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  let signalledAt = 0;
  const originalKill = child.kill.bind(child);
  child.kill = (signal?: NodeJS.Signals | number) => {
    signalledAt = Date.now();
    return originalKill(signal);
  };
  const exited = new Promise<{ code: number | null; ms: number; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, ms: Date.now() - signalledAt, stderr })),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let listening = false;
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/Parley listening on (http:\/\/[^"]+)/);
      if (match && !listening) {
        listening = true;
        resolve({ child, url: match[1]!.replace('[::1]', '127.0.0.1'), exited, stdout: () => out });
      }
    });
    exited.then(({ code, stderr: err }) => reject(new Error(`exited ${code} before listening: ${err}`)));
  });
}

