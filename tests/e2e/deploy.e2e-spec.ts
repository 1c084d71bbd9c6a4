import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');

/** Debian's docker-compose (1.29) validates the file offline; CI installs it, so a missing one fails. */
function composeConfig(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker-compose', ['config'], { cwd: root, env: { ...process.env, PARLEY_API_KEYS: 'admin:change-me-please' } }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`docker-compose config failed: ${stderr || error.message}`));
      resolve(stdout);
    });
  });
}

describe('deployment files', () => {
  it('docker-compose.yml is valid, restarts Parley, gives it its public URL and the example', async () => {
    const config = await composeConfig();
    expect(config).toMatch(/restart: unless-stopped/);
    expect(config).toMatch(/PARLEY_PUBLIC_URL: http:\/\/localhost:3000/);
    expect(config).toMatch(/PARLEY_LOAD_EXAMPLE: always/);
  });

  it('the image runs on a supported Node LTS, as a user that owns its data dir', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const bases = [...dockerfile.matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]));
    expect(bases.length).toBeGreaterThan(0);
    for (const major of bases) expect(major).toBeGreaterThanOrEqual(22);
    expect(dockerfile).toMatch(/chown node:node \/app\/data/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
