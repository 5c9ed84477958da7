// Free loopback TCP ports for tests and localnets, chosen so that concurrent runs on one machine
// (two `npm test`s, a test beside a localnet) cannot be handed the same port:
// - from 20000–32000, below the kernel's ephemeral range (Linux: 32768–60999), so no outgoing
//   connection of any process (CometBFT dialing its peers, a browser) can grab a port between the
//   moment it is chosen and the moment the node that is given it binds it;
// - each reserved machine-wide by a file <tmp>/cairn-ports/<port> holding the reserving process's
//   pid, created exclusively; a reservation lasts as long as that process (one left by a dead
//   process is taken over), so a port is never handed out twice while its first user may still
//   bind it, even by the same process;
// - and free when checked (a bind succeeds), which skips ports that running nodes hold.
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reservations } from '../reservations.ts';

const FIRST = 20_000;
const LAST = 32_000;
/** Cairn's and CometBFT's default ports (26656–26661) stay free for `npm start` and a real node. */
const DEFAULTS = { from: 26_650, to: 26_670 };
let reservations: Reservations | undefined;


function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

/** n distinct ports, free now and reserved for this process for as long as it lives. */
export async function freePorts(n: number): Promise<number[]> {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`port count must be a whole number >= 0, got ${n}`);
  const held = (reservations ??= new Reservations(join(tmpdir(), 'cairn-ports')));
  const span = LAST - FIRST + 1;
  const start = Math.floor(Math.random() * span);
  const out: number[] = [];
  for (let i = 0; i < span && out.length < n; i++) {
    const port = FIRST + ((start + i) % span);
    if (port >= DEFAULTS.from && port <= DEFAULTS.to) continue;
    if (!held.take(String(port))) continue;
    if (await canBind(port)) out.push(port);
    else held.release(String(port));
  }
  if (out.length < n) throw new Error(`only ${out.length} of ${n} free ports in ${FIRST}–${LAST}: stop old localnets, or remove stale files in ${held.dir}`);
  return out;
}
