import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');

/** Debian's docker-compose (1.29) validates the file offline; CI installs it, so a missing one fails. */
function composeConfig(...profile: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker-compose', [...profile.flatMap((p) => ['--profile', p]), 'config'], { cwd: root, env: { ...process.env, PARLEY_API_KEYS: 'admin:change-me-please' } }, (error, stdout, stderr) => {
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

  it('the scaled profile adds a streaming standby, a second instance reading from it, and HAProxy', async () => {
    const config = await composeConfig('scaled');
    for (const service of ['postgres-standby', 'parley-2', 'lb']) expect(config).toMatch(new RegExp(`^  ${service}:$`, 'm'));
    expect(config).toMatch(/pg_basebackup -h\s+postgres -U parley -D \/var\/lib\/postgresql\/data\s+-R -X stream/);
    expect(config).toMatch(/DATABASE_REPLICA_URLS: postgres:\/\/parley:parley@postgres-standby:5432\/parley/);
    // Only with the profile: each of the three is marked with it (the base services are not).
    expect(config.match(/profiles:\n\s+- scaled/g)).toHaveLength(3);
  });

  it("HAProxy's configuration passes haproxy -c (Debian's haproxy; CI installs it)", async () => {
    const output = await new Promise<string>((resolve, reject) =>
      execFile('haproxy', ['-c', '-f', join(root, 'deploy/haproxy.cfg')], (error, stdout, stderr) => (error ? reject(new Error(`${stderr}${stdout}`)) : resolve(`${stdout}${stderr}`))),
    );
    expect(output).toContain('Configuration file is valid');
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
