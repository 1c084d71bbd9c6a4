import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

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

/** Runs a real client; its output, or an error with it (a missing binary fails: CI installs them). */
function run(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(command, args, { env: { ...process.env, ...env } }, (error, stdout, stderr) => (error ? reject(new Error(`${stderr}${stdout}`)) : resolve(`${stdout}${stderr}`))),
  );
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

  it("HAProxy's configurations pass haproxy -c (Debian's haproxy; CI installs it), routing on /readyz and on Patroni's /primary and /replica", async () => {
    for (const file of ['deploy/haproxy.cfg', 'deploy/patroni/haproxy.cfg']) {
      const output = await run('haproxy', ['-c', '-f', join(root, file)]);
      expect(output).toContain('Configuration file is valid');
    }
    expect(readFileSync(join(root, 'deploy/haproxy.cfg'), 'utf8')).toMatch(/option httpchk GET \/readyz/);
    const patroni = readFileSync(join(root, 'deploy/patroni/haproxy.cfg'), 'utf8');
    expect(patroni).toMatch(/bind \*:5000\n\s+option httpchk GET \/primary/);
    expect(patroni).toMatch(/bind \*:5001\n\s+balance roundrobin\n\s+option httpchk GET \/replica/);
  });

  it('the ha profile: etcd, three Patroni nodes, HAProxy, two instances on the writer and reader ports, probed on /livez', async () => {
    const config = await composeConfig('ha');
    for (const service of ['etcd', 'pg-1', 'pg-2', 'pg-3', 'db-proxy', 'parley-ha-1', 'parley-ha-2']) expect(config).toMatch(new RegExp(`^  ${service}:$`, 'm'));
    expect(config).toMatch(/DATABASE_URL: postgres:\/\/postgres:parley@db-proxy:5000\/parley/);
    expect(config).toMatch(/DATABASE_REPLICA_URLS: postgres:\/\/postgres:parley@db-proxy:5001\/parley/);
    expect(config).toMatch(/127\.0\.0\.1:3000\/livez/);
    expect(config.match(/profiles:\n\s+- ha/g)).toHaveLength(7);
  });

  it("Patroni's --validate-config passes the shipped file for each node, but for what only the compose network has (the names etcd and pg-N, a free 5432)", async () => {
    const shipped = YAML.parse(readFileSync(join(root, 'deploy/patroni/patroni.yml'), 'utf8'));
    // What the contract's guarantee rests on: a 201 is on two nodes.
    expect(shipped.bootstrap.dcs).toMatchObject({ synchronous_mode: true, synchronous_mode_strict: false, postgresql: { use_pg_rewind: true } });
    for (const node of ['pg-1', 'pg-2', 'pg-3']) {
      const env = { PATRONI_NAME: node, PATRONI_RESTAPI_CONNECT_ADDRESS: `${node}:8008`, PATRONI_POSTGRESQL_CONNECT_ADDRESS: `${node}:5432`, PATRONI_SUPERUSER_PASSWORD: 'p', PATRONI_REPLICATION_PASSWORD: 'r' };
      const output = await run('patroni', ['--validate-config', join(root, 'deploy/patroni/patroni.yml')], env).catch((error: Error) => error.message);
      const complaints = output.split('\n').filter((line) => line.includes("didn't pass validation"));
      const offline = /^(etcd3\.hosts etcd:2379 didn't pass validation: \[Errno -[23]\] .*|postgresql\.listen 0\.0\.0\.0:5432 didn't pass validation: 'Port 5432 is already in use\.')$/;
      expect(complaints.filter((line) => !offline.test(line))).toEqual([]);
    }
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
