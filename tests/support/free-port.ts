import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The kernel's range for outgoing connections' local ports (Linux), else the IANA default. */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // not Linux
  }
  return [49152, 65535];
}

const listens = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A loopback port nothing listens on right now, for a process that must come back on it (a
 * restart, a failover). It lies below the ephemeral range: a port from that range can be taken
 * in the gap by any outgoing connection, a browser reconnecting to the port itself included
 * (TCP self-connect), and the process then finds it "already in use" (CI saw it once).
 */
export async function freePort(): Promise<number> {
  const [low] = ephemeralRange();
  const floor = 10_000;
  const top = Math.max(floor + 1000, low);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = floor + Math.floor(Math.random() * (top - floor));
    if (await listens(port)) return port;
  }
  throw new Error(`no free loopback port between ${floor} and ${top}`);
}
