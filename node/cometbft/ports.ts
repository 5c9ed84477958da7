// Free loopback TCP ports for tests and the localnet. A port is free when asked; another process can
// still take it before ours binds, which is acceptable on a developer machine.
import { createServer } from 'node:net';
import type { Server } from 'node:net';

function listenEphemeral(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('a TCP server has no port');
  return address.port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port ?? 0;
}

// n distinct ports: all are held open together before any is released, so none repeats.
export async function freePorts(n: number): Promise<number[]> {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`port count must be a whole number >= 0, got ${n}`);
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) servers.push(await listenEphemeral());
    return servers.map(portOf);
  } finally {
    await Promise.all(servers.map(close));
  }
}
