// One app and one CometBFT per node, each a detached background process writing to a log file in the
// node's home (app.log, cometbft.log). They outlive the command that started them; they are stopped
// by their recorded process id, and only after checking that the id still belongs to a process of
// this home (a recycled id of an unrelated process is never signalled).
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cometbftBinary } from '../node/cometbft/binary.ts';
import { status } from '../node/cometbft/rpc.ts';
import { repairIndexAfterCrash } from '../node/cometbft/process.ts';
import { nodeProcessSettings } from '../node/memory.ts';
import { LocalnetError, type LocalnetNode } from './manifest.ts';

const CLI = fileURLToPath(new URL('../cli/cairn.ts', import.meta.url));

/** Pids started by this process; with `killOnExit`, they are killed if it exits without `down`. */
const started = new Set<number>();
let exitHook = false;

export function killStartedOnExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const pid of started) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

function spawnDetached(command: string, args: readonly string[], logFile: string, what: string, env: NodeJS.ProcessEnv = process.env): number {
  const fd = openSync(logFile, 'a');
  try {
    writeSync(fd, `--- localnet: starting ${what} at ${new Date().toISOString()} ---\n`);
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env });
    child.unref();
    if (child.pid === undefined) throw new LocalnetError(`could not start ${what}`);
    started.add(child.pid);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export function startApp(node: LocalnetNode, upgradeHandlers: readonly string[] = []): number {
  const handlers = upgradeHandlers.flatMap((name) => ['--upgrade-handler', name]);
  // Started as the `cairn` command starts it (node/process.json).
  const { flags, env } = nodeProcessSettings();
  return spawnDetached(process.execPath, [...flags, CLI, 'start', '--abci-only', '--home', node.home, ...handlers], join(node.home, 'app.log'), `app of ${node.name}`, env);
}

/**
 * Starts the node's CometBFT, detached, after re-indexing its blocks' txs: CometBFT indexes
 * asynchronously after each commit, so the last committed txs of a node that was killed, or stopped
 * while it indexed, may be missing from its index (the chaos run found both). A localnet's chain is
 * short, so every start repairs the whole index, not only after a kill as `cairn start` does.
 */
export async function startCometbftProcess(node: LocalnetNode): Promise<number> {
  const log = join(node.home, 'cometbft.log');
  const fd = openSync(log, 'a');
  try {
    await repairIndexAfterCrash(cometbftBinary(), node.home, undefined, fd, true);
  } finally {
    closeSync(fd);
  }
  const args = ['start', '--home', node.home, `--proxy_app=tcp://127.0.0.1:${node.ports.abci}`];
  return spawnDetached(cometbftBinary(), args, log, `CometBFT of ${node.name}`);
}

/** True if `pid` runs and its command line names this node's home (so it is ours). */
export function isOurs(pid: number | undefined, home: string): boolean {
  if (pid === undefined || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    // A zombie (exited, not yet reaped by the process that started it) has an empty command line.
    return cmdline.split('\0').includes(home);
  } catch {
    // No /proc (macOS): the pid answers to signal 0, which is the best check available there.
    return true;
  }
}

/** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the process is gone. */
export async function stopPid(pid: number | undefined, home: string, timeoutMs = 10_000): Promise<void> {
  if (!isOurs(pid, home)) return;
  process.kill(pid!, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isOurs(pid, home)) {
    if (Date.now() > deadline) {
      process.kill(pid!, 'SIGKILL');
      while (isOurs(pid, home)) await sleep(50);
      break;
    }
    await sleep(50);
  }
  started.delete(pid!);
}

export async function waitForPort(port: number, timeoutMs: number, what: string, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      }).on('error', () => resolve(false));
    });
    if (ok) return;
    if (!alive()) throw new LocalnetError(`${what} exited before listening on 127.0.0.1:${port}`);
    if (Date.now() > deadline) throw new LocalnetError(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export async function waitForRpc(node: LocalnetNode, timeoutMs: number, alive: () => boolean): Promise<void> {
  const url = `http://127.0.0.1:${node.ports.rpc}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const s = await status(url, { timeoutMs: 1_000 });
      if (s.nodeId === node.nodeId) return;
      throw new LocalnetError(`another node (${s.nodeId}) answers at ${url}; ${node.name} is ${node.nodeId}`);
    } catch (error) {
      if (error instanceof LocalnetError) throw error;
    }
    if (!alive()) throw new LocalnetError(`CometBFT of ${node.name} exited; see ${join(node.home, 'cometbft.log')}`);
    if (Date.now() > deadline) throw new LocalnetError(`CometBFT of ${node.name} did not answer at ${url} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
