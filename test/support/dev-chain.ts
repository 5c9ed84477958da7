// The dev chain as a newcomer runs it: `./cairn dev --home .dev` (what `npm start` runs) in a
// directory that looks like the repository root to the commands typed there (`./cairn`,
// `node_modules`), started by the machine's Node on PATH rather than the project's Node 22.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { devGatewayPorts } from '../../cli/commands/dev.ts';
import { defaultPorts } from '../../cli/commands/init.ts';
import { runCli } from '../../cli/main.ts';
import { waitForHeight } from '../../node/cometbft/rpc.ts';
import { memoryIo } from './cli-io.ts';

export const REPO = resolve(import.meta.dirname, '../..');
/** The launcher at the repository root, as the README runs it. */
export const CAIRN = join(REPO, 'cairn');

const run = promisify(execFile);

/**
 * PATH without the project's node_modules/.bin, which `npm test` puts first: commands then start
 * on the machine's own Node, as they do in a newcomer's terminal.
 */
export function machinePath(path = process.env['PATH'] ?? ''): string {
  return path
    .split(delimiter)
    .filter((dir) => !dir.endsWith(`${sep}node_modules${sep}.bin`))
    .join(delimiter);
}

/** A fresh directory holding `./cairn` and `node_modules` (links to this checkout's), like a clone's root. */
export async function devWorkdir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-dev-'));
  await symlink(CAIRN, join(dir, 'cairn'));
  await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function listen(port: number): Promise<Server> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolvePromise(server));
  });
}

/**
 * An offset for `cairn dev --port-offset` whose ports (26656+n … 26661+n, 1317+n, 9090+n) are all free, so the
 * test never meets a running `npm start` or another test.
 */
export async function freePortOffset(): Promise<number> {
  const plan = defaultPorts(0);
  const span = plan.metrics - plan.p2p + 1;
  for (let attempt = 0; attempt < 200; attempt++) {
    const servers: Server[] = [];
    try {
      servers.push(await listen(0));
      const address = servers[0]!.address();
      const base = typeof address === 'object' && address !== null ? address.port : 0;
      if (base < plan.p2p || base + span - 1 > 65535) continue;
      for (let port = base + 1; port < base + span; port++) servers.push(await listen(port));
      // The REST API and gRPC move by the same offset, far from that block.
      const offset = base - plan.p2p;
      if (plan.api + offset > 65535 || plan.grpc + offset > 65535) continue;
      servers.push(await listen(plan.api + offset), await listen(plan.grpc + offset));
      // And the dev chain's gateways (one operator).
      for (const port of Object.values(devGatewayPorts(offset))) servers.push(await listen(port));
      return offset;
    } catch {
      // a port in the block is taken: try another block
    } finally {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(() => r(undefined)))));
    }
  }
  throw new Error('found no six consecutive free loopback ports');
}

export interface DevChain {
  readonly process: ChildProcess;
  /** The `cairn` launcher's pid (the process a user's Ctrl-C or `kill` reaches). */
  readonly pid: number;
  readonly rpcUrl: string;
  /** Everything the command printed so far (stdout and stderr). */
  output(): string;
  /** Settles with the launcher's exit code, or the signal's name if a signal ended it. */
  readonly exited: Promise<number | string>;
  /** SIGINT to every process of the command (launcher, node, CometBFT), as Ctrl-C in its terminal. */
  ctrlC(): void;
  /** SIGKILL to every process of the command (clean-up after a failure). */
  kill(): void;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Waits until `check` returns a value other than undefined, polling; fails with `what` after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError === undefined ? '' : `: ${String(lastError)}`}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Runs `./cairn dev --home .dev [--port-offset n]` in `dir` and waits for its banner and block
 * `minHeight`. Without `offset` the ports are the ones already kept in the home.
 */
export async function startDevChain(dir: string, opts: { offset?: number; minHeight?: number } = {}): Promise<DevChain> {
  const args = ['dev', '--home', '.dev', ...(opts.offset === undefined ? [] : ['--port-offset', String(opts.offset)])];
  // Its own process group, as a terminal gives a job: ctrlC() signals the group like Ctrl-C does.
  const child = spawn('./cairn', args, { cwd: dir, env: { ...process.env, PATH: machinePath() }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | string>((r) => child.once('exit', (code, signal) => r(code ?? signal ?? 'unknown')));
  let ended: number | string | undefined;
  void exited.then((e) => (ended = e));
  const pid = child.pid ?? 0;
  const chain = { process: child, pid, output: () => text, exited, ctrlC: () => process.kill(-pid, 'SIGINT'), kill: () => killGroup(pid) };
  try {
    const rpcUrl = await until('the dev chain to print its RPC address', 180_000, () => {
      if (ended !== undefined) throw new Error(`cairn dev exited (${ended}):\n${text}`);
      return /^RPC:\s+(http:\/\/\S+)$/m.exec(text)?.[1];
    });
    await waitForHeight(rpcUrl, opts.minHeight ?? 1, 120_000);
    return { ...chain, rpcUrl };
  } catch (error) {
    killGroup(pid);
    throw new Error(`${(error as Error).message}\n--- cairn dev printed:\n${text}`, { cause: error });
  }
}

/** The pids whose parent is `pid` (pgrep -P). */
export async function childPids(pid: number): Promise<number[]> {
  try {
    const { stdout } = await run('pgrep', ['-P', String(pid)]);
    return stdout.split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there is none
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `./cairn <args>` in `dir` the way a user would, with the node at `rpcUrl` (CAIRN_NODE). */
export async function cairn(dir: string, rpcUrl: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run('./cairn', args, { cwd: dir, env: { ...process.env, PATH: machinePath(), CAIRN_NODE: rpcUrl }, timeout: 120_000 });
}

export async function removeWorkdir(dir: string): Promise<void> {
  if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
}

/** An address's ucairn balance, asked in-process (`cairn query bank balances`) to keep the tests quick. */
export async function ucairnBalance(rpcUrl: string, address: string): Promise<bigint> {
  const io = memoryIo();
  if ((await runCli(['query', 'bank', 'balances', address, '-o', 'json', '--node', rpcUrl], io)) !== 0) throw new Error(io.stderrText());
  const parsed = JSON.parse(io.stdoutText()) as { balances: { denom: string; amount: string }[] };
  return BigInt(parsed.balances.find((c) => c.denom === 'ucairn')?.amount ?? '0');
}
