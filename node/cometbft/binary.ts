// Where the CometBFT binary lives and how to run one-shot subcommands with it.
// The binary is project-local (`<repo>/.tools/bin/cometbft`, git-ignored) so that the pinned version is
// the one every script and test uses, whatever else is on PATH.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CometbftCommandError, CometbftNotInstalledError } from './errors.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function toolsBinDir(): string {
  return join(REPO_ROOT, '.tools', 'bin');
}

export function cometbftBinary(): string {
  return join(toolsBinDir(), 'cometbft');
}

function requireBinary(binary: string): void {
  if (!existsSync(binary)) {
    throw new CometbftNotInstalledError(
      `CometBFT is not installed at ${binary}. Run \`node scripts/setup.ts\` (npm start and npm test run it).`,
    );
  }
}

export interface RunCometbftOptions {
  binary?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

// Runs `cometbft <args>` to completion and returns its stdout. CometBFT logs to stdout, so the error
// carries both streams.
export function runCometbft(args: readonly string[], opts: RunCometbftOptions = {}): Promise<string> {
  const binary = opts.binary ?? cometbftBinary();
  requireBinary(binary);
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...args],
      { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024, ...(opts.signal ? { signal: opts.signal } : {}) },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === 'number' ? error.code : null;
          reject(new CometbftCommandError(args, code, `${stdout}${stderr}` || error.message));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

// The version a binary reports, or undefined when it is missing or cannot run (wrong arch, truncated).
export async function installedVersion(binary: string = cometbftBinary()): Promise<string | undefined> {
  if (!existsSync(binary)) return undefined;
  try {
    return (await runCometbft(['version'], { binary, timeoutMs: 10_000 })).trim();
  } catch {
    return undefined;
  }
}
