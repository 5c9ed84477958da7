// Runs `cometbft start` as a child process. Start-up is finished when the node's own RPC answers
// /status with this home's node id; stop() is SIGTERM, then SIGKILL if it does not exit in time.
// Nothing here restarts a process: when CometBFT dies, `exited` settles and the caller decides.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { uptime } from 'node:os';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cometbftBinary } from './binary.ts';
import { readConfigValue } from './config.ts';
import { CometbftNotInstalledError, CometbftStartError } from './errors.ts';
import { nodeId } from './keys.ts';
import { status } from './rpc.ts';

export interface StartCometbftOptions {
  home: string;
  // Where stdout and stderr go (appended). Defaults to `<home>/cometbft.log`.
  logFile?: string;
  // Show CometBFT's output on this process's stdout/stderr instead of a log file.
  inheritOutput?: boolean;
  // Extra flags for `cometbft start`, e.g. ['--proxy_app=kvstore'].
  extraArgs?: readonly string[];
  // How long to wait for the RPC to answer. Default 30 s.
  readyTimeoutMs?: number;
  // The app's committed height, when known: after a crash only the blocks near it are re-indexed.
  appHeight?: bigint;
  // The index repair after a crash, already started by the caller with repairIndex() so that it ran
  // while the app started (it touches only CometBFT's databases): awaited instead of run here.
  indexRepair?: Promise<void>;
  signal?: AbortSignal;
}

export interface CometbftProcess {
  pid: number;
  home: string;
  nodeId: string;
  rpcUrl: string;
  logFile: string | undefined;
  // Settles when the process ends: its exit code, or null when a signal ended it.
  exited: Promise<number | null>;
  // SIGTERM, then SIGKILL after `timeoutMs` (default 10 s). Safe to call more than once or after exit.
  stop(timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

// The http URL of an RPC listen address; a wildcard host is reached on loopback.
export function rpcUrlFromLaddr(laddr: string): string {
  const m = /^tcp:\/\/(.+):(\d{1,5})$/.exec(laddr);
  if (m === null) throw new RangeError(`cannot reach an RPC listening on ${JSON.stringify(laddr)}: only tcp://host:port is supported`);
  const host = m[1] === '0.0.0.0' || m[1] === '' ? '127.0.0.1' : m[1] === '[::]' ? '[::1]' : (m[1] ?? '127.0.0.1');
  return `http://${host}:${m[2] ?? ''}`;
}

// The value of `--name value` or `--name=value` in a flag list; the last one wins, as in cobra.
function flagValue(args: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === name) value = args[i + 1];
    else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
  }
  return value;
}

// Children still running when this process exits get a SIGTERM, so a crashed test leaves no node behind.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGTERM');
    });
  }
}

const MARKER = '--- cairn: starting ';

// Present in <home>/data while a CometBFT started here runs, removed when it exits cleanly. Left
// behind by a kill: CometBFT indexes txs after it commits a block, asynchronously, so the last
// blocks before a kill may be committed but missing from the tx index (`getTx` would say "not
// found" for txs that are in the chain) and CometBFT never repairs that by itself.
const RUNNING_FILE = 'cairn-cometbft.running';
// Blocks re-indexed below the app's height after a crash. CometBFT's indexer takes each block's events
// through an unbuffered subscription, so a killed process's index lags by a block or two. Its writes
// are not synced, so after the machine itself went down (a power loss, a reboot) the index may lack
// whatever the kernel had not written back, up to ~30 s of blocks at its default settings. The
// repair runs before CometBFT starts and takes ~0.15 ms a tx, so its window is the node's restart
// time: a window of 1,000 blocks of 200 sends would keep a killed node from its next block for ~30 s
// (bench/README.md, "Thirteenth round").
const REINDEX_WINDOW_KILLED = 10n;
const REINDEX_WINDOW_MACHINE_DOWN = 100n;

/**
 * After an unclean exit, re-indexes the recent blocks' txs and events from the block store
 * (`cometbft reindex-event`, which reads the stored FinalizeBlock results; indexing a block twice
 * is harmless). From the app's height less a window when that height is known, else from the
 * store's base; a window below the base falls back to the base.
 */
export async function repairIndexAfterCrash(binary: string, home: string, appHeight: bigint | undefined, log: number | 'inherit', always = false): Promise<void> {
  const marked = statSync(join(home, 'data', RUNNING_FILE), { throwIfNoEntry: false });
  if ((!always && marked === undefined) || !existsSync(join(home, 'data', 'blockstore.db'))) return;
  // No index, nothing to repair. With "psql" the same command refills PostgreSQL (rows it already
  // has are skipped), but a database that is down must not keep a validator from signing.
  const indexer = await readConfigValue(home, 'tx_index', 'indexer');
  if (indexer === 'null') return;
  const run = (args: string[]): Promise<{ code: number | null; output: string }> =>
    new Promise((resolve) => {
      const child = spawn(binary, ['reindex-event', '--home', home, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const keep = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        if (log === 'inherit') process.stderr.write(chunk);
        else writeSync(log, chunk);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.once('close', (code) => resolve({ code, output }));
      child.once('error', () => resolve({ code: null, output }));
    });
  // A marker older than the machine's boot: the machine went down, not only the process.
  const machineWentDown = marked !== undefined && marked.mtimeMs < Date.now() - uptime() * 1000;
  const window = machineWentDown ? REINDEX_WINDOW_MACHINE_DOWN : REINDEX_WINDOW_KILLED;
  const from = appHeight === undefined || appHeight <= window ? [] : ['--start-height', String(appHeight - window)];
  let attempt = await run(from);
  if (attempt.code !== 0 && from.length > 0) attempt = await run([]);
  // A kill between CometBFT saving a block and saving its FinalizeBlock results leaves the newest
  // block without results, and reindex-event refuses the whole range: CometBFT re-executes that block
  // at start (and indexes it then), so the repair stops one block short of it.
  const top = /latest height of the blockstore (\d+)/.exec(attempt.output)?.[1];
  if (attempt.code !== 0 && top !== undefined && Number(top) > 1) attempt = await run([...from, '--end-height', String(Number(top) - 1)]);
  if (attempt.code !== 0 && indexer === 'psql') {
    const line = `cairn: cometbft reindex-event could not refill the PostgreSQL tx index after a crash (code ${String(attempt.code)}); starting anyway. Once the database answers, run \`cometbft reindex-event --home ${home}\` with the node stopped to fill the gap\n`;
    if (log === 'inherit') process.stderr.write(line);
    else writeSync(log, line);
    return;
  }
  if (attempt.code !== 0) throw new CometbftStartError(`cometbft reindex-event --home ${home} failed (code ${String(attempt.code)}) while repairing the tx index after a crash`, '', undefined);
}

async function readLogTail(logFile: string | undefined, maxLines = 40): Promise<string> {
  if (logFile === undefined) return '(CometBFT output went to this terminal; see above)';
  try {
    const handle = await open(logFile, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 64 * 1024);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      const text = buffer.toString('utf8');
      const run = text.slice(Math.max(0, text.lastIndexOf(MARKER)));
      const lines = run.trimEnd().split('\n').slice(1);
      return lines.slice(-maxLines).join('\n');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

/**
 * The tx index repair `startCometbft` runs first (repairIndexAfterCrash), its output where CometBFT's
 * goes. Exported so a caller can start it earlier, alongside the app's own start, and hand the
 * promise to startCometbft as `indexRepair`.
 */
export async function repairIndex(opts: Pick<StartCometbftOptions, 'home' | 'logFile' | 'inheritOutput' | 'appHeight'>): Promise<void> {
  const binary = installedBinary();
  if (opts.inheritOutput === true) return repairIndexAfterCrash(binary, opts.home, opts.appHeight, 'inherit');
  await appendingTo(opts.logFile ?? join(opts.home, 'cometbft.log'), (fd) => repairIndexAfterCrash(binary, opts.home, opts.appHeight, fd));
}

/** Runs `use` with `logFile` open for appending (created with its folder if missing), then closes it. */
async function appendingTo<T>(logFile: string, use: (fd: number) => T | Promise<T>): Promise<T> {
  await mkdir(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  try {
    return await use(fd);
  } finally {
    closeSync(fd);
  }
}

function installedBinary(): string {
  const binary = cometbftBinary();
  if (!existsSync(binary)) {
    throw new CometbftNotInstalledError(`CometBFT is not installed at ${binary}. Run \`node scripts/setup.ts\`.`);
  }
  return binary;
}

export async function startCometbft(opts: StartCometbftOptions): Promise<CometbftProcess> {
  const { home } = opts;
  const extraArgs = opts.extraArgs ?? [];
  const binary = installedBinary();
  const laddr = flagValue(extraArgs, '--rpc.laddr') ?? (await readConfigValue(home, 'rpc', 'laddr'));
  if (typeof laddr !== 'string') throw new RangeError(`${home}/config/config.toml has no [rpc] laddr`);
  const rpcUrl = rpcUrlFromLaddr(laddr);
  const id = await nodeId(home);
  const args = ['start', '--home', home, ...extraArgs];

  let logFile: string | undefined;
  let child: ChildProcess;
  const running = join(home, 'data', RUNNING_FILE);
  await (opts.indexRepair ?? repairIndex(opts));
  if (opts.inheritOutput === true) {
    child = spawn(binary, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  } else {
    logFile = opts.logFile ?? join(home, 'cometbft.log');
    child = await appendingTo(logFile, (fd) => {
      writeSync(fd, `${MARKER}cometbft ${args.join(' ')} at ${new Date().toISOString()} ---\n`);
      // The child writes straight into the file, so its output survives even if this process dies.
      return spawn(binary, args, { stdio: ['ignore', fd, fd] });
    });
  }
  await mkdir(dirname(running), { recursive: true });
  writeFileSync(running, `${child.pid ?? ''}\n`);

  let hasExited = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      hasExited = true;
      live.delete(child);
      if (code === 0) rmSync(running, { force: true });
      resolve(code);
    });
    child.on('error', () => {
      // spawn itself failed (EACCES, …): there will be no 'exit' event.
      if (child.pid === undefined) {
        hasExited = true;
        resolve(null);
      }
    });
  });
  track(child);

  let stopping: Promise<void> | undefined;
  const stop = (timeoutMs = 10_000): Promise<void> => {
    stopping ??= (async (): Promise<void> => {
      if (hasExited) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const inTime = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!inTime) {
        child.kill('SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };
  const proc: CometbftProcess = {
    pid: child.pid ?? -1,
    home,
    nodeId: id,
    rpcUrl,
    logFile,
    exited,
    stop,
    kill: (signal: NodeJS.Signals = 'SIGTERM') => {
      child.kill(signal);
    },
  };

  const failure = async (message: string): Promise<CometbftStartError> => {
    await stop(5_000);
    return new CometbftStartError(message, await readLogTail(logFile), child.pid);
  };
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  const deadline = performance.now() + readyTimeoutMs;
  for (;;) {
    if (hasExited || child.pid === undefined) {
      const code = await exited;
      throw await failure(`cometbft start --home ${home} exited (code ${String(code)}) before its RPC answered at ${rpcUrl}`);
    }
    if (opts.signal?.aborted) {
      await stop(5_000);
      throw opts.signal.reason;
    }
    try {
      const s = await status(rpcUrl, { timeoutMs: 1_000 });
      if (s.nodeId === id) return proc;
      throw await failure(
        `another CometBFT node (id ${s.nodeId}, chain ${s.network}) already answers at ${rpcUrl}; ` +
          `this home's node is ${id}. Stop the other node or give this one another [rpc] laddr.`,
      );
    } catch (error) {
      if (error instanceof CometbftStartError) throw error;
      // not up yet
    }
    if (performance.now() >= deadline) {
      throw await failure(`cometbft start --home ${home} did not answer /status at ${rpcUrl} within ${readyTimeoutMs} ms; it was stopped`);
    }
    await Promise.race([new Promise((r) => setTimeout(r, 100)), exited]);
  }
}
