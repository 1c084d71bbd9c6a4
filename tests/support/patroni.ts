import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import YAML from 'yaml';
import { projectRoot } from '../../src/config/paths';
import { freePort } from './free-port';
import { eventually } from './receiver';

// From the project's root, so the bench (compiled elsewhere) finds the shipped files too.
const SHIPPED = join(projectRoot(), 'deploy/patroni');

/** A binary the Patroni tests need: CI installs them (.ci/run), so a missing one fails. */
function required(command: string): string {
  try {
    return execFileSync('which', [command]).toString().trim();
  } catch {
    throw new Error(`${command} is not installed: apt-get install patroni etcd-server etcd-client haproxy (.ci/run does)`);
  }
}

export interface Member {
  name: string;
  role: 'leader' | 'replica' | 'sync_standby' | 'standby_leader';
  state: string;
  timeline?: number;
  lag?: number | string;
}

interface Node {
  name: string;
  pgPort: number;
  apiPort: number;
  dir: string;
  config: string;
  process?: ChildProcess;
}

/**
 * PostgreSQL under Debian's Patroni with one etcd, on loopback ports in a temp folder, with
 * HAProxy routing :writer to the primary (Patroni's /primary check) and :reader to replicas,
 * as deploy/patroni/haproxy.cfg does. Each node runs the shipped deploy/patroni/patroni.yml with
 * only what a loopback run must change (addresses, folders, trust auth, small memory).
 */
export class PatroniCluster {
  readonly writerUrl: string;
  readonly readerUrl: string;
  private etcd?: ChildProcess;
  private haproxy?: ChildProcess;

  private constructor(
    private readonly dir: string,
    private readonly nodes: Node[],
    private readonly etcdPort: number,
    private readonly ports: { writer: number; reader: number },
  ) {
    this.writerUrl = `postgres://postgres@127.0.0.1:${ports.writer}/parley`;
    this.readerUrl = `postgres://postgres@127.0.0.1:${ports.reader}/parley`;
  }

  static async start(size = 3): Promise<PatroniCluster> {
    for (const command of ['patroni', 'etcd', 'haproxy']) required(command);
    const dir = mkdtempSync(join(tmpdir(), 'parley-patroni-'));
    chmodSync(dir, 0o755);
    const nodes: Node[] = [];
    for (let i = 1; i <= size; i++) {
      const nodeDir = join(dir, `pg-${i}`);
      nodes.push({ name: `pg-${i}`, pgPort: await freePort(), apiPort: await freePort(), dir: nodeDir, config: join(nodeDir, 'patroni.yml') });
    }
    const cluster = new PatroniCluster(dir, nodes, await freePort(), { writer: await freePort(), reader: await freePort() });
    try {
      await cluster.startEtcd();
      for (const node of nodes) cluster.configure(node);
      // The first node bootstraps alone (it runs initdb and post_bootstrap), the others clone it.
      cluster.spawnNode(nodes[0]!);
      await eventually(async () => (await cluster.members()).some((m) => m.role === 'leader' && m.state === 'running'), 'a bootstrapped leader', 60_000);
      for (const node of nodes.slice(1)) cluster.spawnNode(node);
      await cluster.healthy(size);
      cluster.startHaproxy();
      // HAProxy 2.6 counts a server up until its checks fail: at first the writer port may lead
      // to a standby. Ready once twice as many connections in a row as nodes reach the primary.
      let inARow = 0;
      await eventually(async () => (inARow = (await cluster.writable()) ? inARow + 1 : 0) >= 2 * size, 'HAProxy to route only to the primary', 30_000);
      return cluster;
    } catch (error) {
      cluster.destroy();
      throw error;
    }
  }

  /** Every node running, one leader, and (synchronous mode) a synchronous standby. */
  async healthy(size = this.nodes.length, timeoutMs = 90_000): Promise<Member[]> {
    return this.explained(eventually(async () => {
      const members = await this.members();
      const running = members.filter((m) => m.state === 'running' || m.state === 'streaming');
      const leaders = running.filter((m) => m.role === 'leader');
      const sync = await this.synchronousMode();
      const ready = running.length === size && leaders.length === 1 && (!sync || running.some((m) => m.role === 'sync_standby'));
      return ready && members;
    }, `${size} running Patroni members`, timeoutMs));
  }

  /** A failed wait says what Patroni said: the members and each node's last log lines. */
  private async explained<T>(waiting: Promise<T>): Promise<T> {
    try {
      return await waiting;
    } catch (error) {
      const logs = this.nodes.map((node) => {
        let text = '';
        for (const file of ['patroni.log', 'data/log']) {
          try {
            text += readFileSync(join(node.dir, file), 'utf8');
          } catch {
            // not written
          }
        }
        return `--- ${node.name}\n${text.split('\n').slice(-15).join('\n')}`;
      });
      throw new Error(`${(error as Error).message}\nmembers: ${JSON.stringify(await this.members())}\n${logs.join('\n')}`);
    }
  }

  /** The cluster as Patroni's REST API reports it (asked of any node that answers). */
  async members(): Promise<Member[]> {
    for (const node of this.nodes) {
      try {
        const answer = await fetch(`http://127.0.0.1:${node.apiPort}/cluster`, { signal: AbortSignal.timeout(1000) });
        if (answer.ok) return ((await answer.json()) as { members: Member[] }).members;
      } catch {
        // that node is down: ask the next
      }
    }
    return [];
  }

  /** Whether the writer port reaches a primary that answers (HAProxy's checks have run). */
  async writable(): Promise<boolean> {
    const client = new Client({ connectionString: this.writerUrl, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return !(await client.query<{ standby: boolean }>('select pg_is_in_recovery() as standby')).rows[0]!.standby;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async leader(): Promise<string> {
    return eventually(async () => (await this.members()).find((m) => m.role === 'leader' && m.state === 'running')?.name, 'a leader', 60_000);
  }

  private node(name: string): Node {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name}`);
    return node;
  }

  /** A planned switchover through the leader's REST API (what `patronictl switchover` calls). */
  async switchover(candidate: string): Promise<void> {
    const leader = this.node(await this.leader());
    const answer = await fetch(`http://127.0.0.1:${leader.apiPort}/switchover`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ leader: leader.name, candidate }),
    });
    if (!answer.ok) throw new Error(`switchover refused: ${answer.status} ${await answer.text()}`);
  }

  /** The machine dies: kill -9 of the node's Patroni and of its postmaster (so nothing restarts it). */
  kill(name: string): void {
    const node = this.node(name);
    node.process?.kill('SIGKILL');
    node.process = undefined;
    const postmaster = this.postmasterPid(node);
    if (postmaster) {
      try {
        process.kill(postmaster, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** Starts a killed node again: Patroni rejoins it as a replica (pg_rewind where it diverged). */
  restart(name: string): void {
    this.spawnNode(this.node(name));
  }

  /** Switches Patroni's synchronous_mode (a dynamic setting, in etcd) and waits until it holds. */
  async setSynchronous(on: boolean): Promise<void> {
    const leader = this.node(await this.leader());
    const answer = await fetch(`http://127.0.0.1:${leader.apiPort}/config`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ synchronous_mode: on }),
    });
    if (!answer.ok) throw new Error(`PATCH /config: ${answer.status} ${await answer.text()}`);
    await eventually(async () => (await this.members()).some((m) => m.role === 'sync_standby') === on, `synchronous_mode ${on}`, 30_000);
  }

  async synchronousMode(): Promise<boolean> {
    for (const node of this.nodes) {
      try {
        const answer = await fetch(`http://127.0.0.1:${node.apiPort}/config`, { signal: AbortSignal.timeout(1000) });
        if (answer.ok) return Boolean(((await answer.json()) as { synchronous_mode?: boolean }).synchronous_mode);
      } catch {
        // next
      }
    }
    return false;
  }

  /** A superuser URL straight to one node (not through HAProxy). */
  nodeUrl(name: string, database = 'parley'): string {
    return `postgres://postgres@127.0.0.1:${this.node(name).pgPort}/${database}`;
  }

  /** The pid of a process of the node's PostgreSQL whose command line matches `title` (e.g. walreceiver). */
  backendPid(name: string, title: RegExp): number | undefined {
    const postmaster = this.postmasterPid(this.node(name));
    if (!postmaster) return undefined;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const status = readFileSync(`/proc/${entry}/status`, 'utf8');
        if (!status.includes(`PPid:\t${postmaster}\n`)) continue;
        if (title.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8'))) return Number(entry);
      } catch {
        // exited meanwhile
      }
    }
    return undefined;
  }

  destroy(): void {
    for (const node of this.nodes) this.kill(node.name);
    this.haproxy?.kill('SIGKILL');
    this.etcd?.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private postmasterPid(node: Node): number | undefined {
    try {
      return Number(readFileSync(join(node.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return undefined;
    }
  }

  private async startEtcd(): Promise<void> {
    const peer = await freePort();
    const client = `http://127.0.0.1:${this.etcdPort}`;
    this.etcd = spawn(
      'etcd',
      [
        '--name=parley-test',
        `--data-dir=${join(this.dir, 'etcd')}`,
        `--listen-client-urls=${client}`,
        `--advertise-client-urls=${client}`,
        `--listen-peer-urls=http://127.0.0.1:${peer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
        `--initial-cluster=parley-test=http://127.0.0.1:${peer}`,
      ],
      { stdio: 'ignore' },
    );
    await eventually(async () => (await fetch(`${client}/health`).then((r) => r.json()).catch(() => ({}))).health === 'true', 'etcd', 30_000);
  }

  /** The shipped Patroni settings, with what a loopback run must change. */
  private configure(node: Node): void {
    const config = YAML.parse(readFileSync(join(SHIPPED, 'patroni.yml'), 'utf8'));
    const versions = readdirSync('/usr/lib/postgresql').sort();
    config.name = node.name;
    config.restapi = { listen: `127.0.0.1:${node.apiPort}`, connect_address: `127.0.0.1:${node.apiPort}` };
    config.etcd3 = { hosts: `127.0.0.1:${this.etcdPort}` };
    config.bootstrap.initdb = [{ encoding: 'UTF8' }, { auth: 'trust' }];
    config.bootstrap.pg_hba = ['local all all trust', 'host replication all 127.0.0.1/32 trust', 'host all all 127.0.0.1/32 trust'];
    // A copy in the cluster's own folder: Patroni runs it as the postgres user, who may not be
    // able to reach the checkout (a clone in a private folder, mode 0700).
    const script = join(this.dir, 'create-parley-database.sh');
    copyFileSync(join(SHIPPED, 'create-parley-database.sh'), script);
    chmodSync(script, 0o755);
    config.bootstrap.post_bootstrap = script;
    config.log = { level: 'INFO', dir: node.dir };
    Object.assign(config.postgresql, {
      listen: `127.0.0.1:${node.pgPort}`,
      connect_address: `127.0.0.1:${node.pgPort}`,
      data_dir: join(node.dir, 'data'),
      bin_dir: join('/usr/lib/postgresql', versions[versions.length - 1]!, 'bin'),
      pgpass: join(node.dir, 'pgpass'),
    });
    config.postgresql.parameters = {
      ...config.postgresql.parameters,
      unix_socket_directories: node.dir,
      password_encryption: 'md5',
      shared_buffers: '32MB',
      max_connections: 100,
    };
    mkdirSync(node.dir, { recursive: true });
    writeFileSync(node.config, YAML.stringify(config));
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(node.dir, uid, gid);
    chownSync(node.config, uid, gid);
    chmodSync(node.dir, 0o700);
  }

  private spawnNode(node: Node): void {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    node.process = spawn('patroni', [node.config], { uid, gid, cwd: node.dir, env: { PATH: process.env.PATH, HOME: node.dir }, stdio: 'ignore' });
  }

  /** deploy/patroni/haproxy.cfg with loopback addresses in place of the compose names. */
  private startHaproxy(): void {
    let config = readFileSync(join(SHIPPED, 'haproxy.cfg'), 'utf8')
      .replace('bind *:5000', `bind 127.0.0.1:${this.ports.writer}`)
      .replace('bind *:5001', `bind 127.0.0.1:${this.ports.reader}`)
      .replace(/ resolvers docker init-addr \S+/g, '')
      .replace(/\nresolvers docker\n(  .*\n)+/, '\n');
    for (const node of this.nodes) {
      config = config.replaceAll(`${node.name}:5432 maxconn 300 check port 8008`, `127.0.0.1:${node.pgPort} maxconn 300 check port ${node.apiPort}`);
    }
    if (config.includes(':5432 ')) throw new Error('haproxy.cfg: a server line was not rewritten for loopback');
    const path = join(this.dir, 'haproxy.cfg');
    writeFileSync(path, config);
    this.haproxy = spawn('haproxy', ['-db', '-f', path], { stdio: 'ignore' });
  }
}
