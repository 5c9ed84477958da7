// A private PostgreSQL cluster for a test: Debian's server (scripts/postgresql.ts) in a temporary
// folder, listening on 127.0.0.1 and a free port only, its unix socket inside that folder. initdb
// refuses root, so as root the cluster runs as the package's `postgres` user. The server is a
// direct child of the test process and gets SIGINT (a fast shutdown) when that process dies
// (setpriv --pdeathsig), so a crashed test leaves no server behind; stop() ends it and removes
// the folder.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePorts } from '../../node/cometbft/ports.ts';
import { postgresBinDir } from '../../scripts/postgresql.ts';

export interface PostgresCluster {
  /** postgres://cairn:<password>@127.0.0.1:<port>/cairn?sslmode=disable (CometBFT's lib/pq wants TLS unless told) */
  readonly url: string;
  readonly port: number;
  /** The server's log so far (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

const USER = 'cairn';

/** Runs argv as the cluster's owner: `postgres` when this process is root, else this user. */
function asOwner(argv: readonly string[]): { cmd: string; args: string[]; owner?: { uid: number; gid: number } } {
  if (process.getuid?.() !== 0) return { cmd: argv[0]!, args: argv.slice(1) };
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { cmd: 'setpriv', args: [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--pdeathsig', 'INT', '--', ...argv], owner: { uid, gid } };
}

export async function startPostgres(opts: { timeoutMs?: number } = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error('PostgreSQL is not installed: `npm test` installs Debian\'s postgresql (scripts/postgresql.ts), or run `sudo apt-get install postgresql`');
  const dir = mkdtempSync(join(tmpdir(), 'cairn-pg-'));
  const data = join(dir, 'data');
  const password = randomBytes(18).toString('hex');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  const init = asOwner([join(bin, 'initdb'), '-D', data, '-U', USER, '--pwfile', pwfile, '--auth', 'scram-sha-256', '-E', 'UTF8', '--locale', 'C', '--no-sync']);
  if (init.owner !== undefined) {
    chownSync(dir, init.owner.uid, init.owner.gid);
    chownSync(pwfile, init.owner.uid, init.owner.gid);
  }
  try {
    execFileSync(init.cmd, init.args, { stdio: 'pipe', timeout: 60_000 });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${String((err as { stderr?: Buffer }).stderr ?? (err as Error).message)}`, { cause: err });
  }
  const [port] = (await freePorts(1)) as [number];
  // Loopback TCP only; the unix socket in the cluster's own folder; no fsync (a test's data).
  const server = asOwner([join(bin, 'postgres'), '-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', data, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']);
  const child: ChildProcess = spawn(server.cmd, server.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (c: Buffer) => (log += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (log += c.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `postgres://${USER}:${password}@127.0.0.1:${port}`;
  const url = `${base}/${USER}?sslmode=disable`;
  const cluster: PostgresCluster = {
    url,
    port,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const killed = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killed);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // Ready when it accepts a login; a database of the user's name for the test to own.
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) {
      await cluster.stop();
      throw new Error(`postgres exited (code ${child.exitCode}) before it took connections:\n${log}`);
    }
    const client = new pg.Client({ connectionString: `${base}/postgres`, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query(`CREATE DATABASE ${USER}`);
      await client.end();
      break;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        await cluster.stop();
        throw new Error(`postgres did not take connections within ${opts.timeoutMs ?? 30_000} ms: ${(err as Error).message}\n${log}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return cluster;
}
