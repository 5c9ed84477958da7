// Makes sure the pinned CometBFT binary is present, building it with `go install` when it is not.
// Fast path (already installed): one `cometbft version` run, a few tens of milliseconds.
import { execFile, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { installedVersion, toolsBinDir } from './binary.ts';
import { CometbftInstallError, GoNotFoundError } from './errors.ts';
import { COMETBFT_PACKAGE, COMETBFT_VERSION, matchesPinnedVersion } from './version.ts';

export interface EnsureCometbftOptions {
  // Where the binary goes (GOBIN). Defaults to `<repo>/.tools/bin`.
  binDir?: string;
  // The go command to run. Defaults to `go` on PATH.
  go?: string;
  // Progress lines for a human. Defaults to nothing.
  log?: (line: string) => void;
  // A build that takes longer than this is stopped and reported.
  timeoutMs?: number;
}

export interface EnsureCometbftResult {
  binary: string;
  version: string;
  // true when this call ran `go install`.
  installed: boolean;
}

const GO_INSTALL_HELP =
  'Install Go 1.22 or newer (https://go.dev/doc/install; on Linux: download the tarball from ' +
  'https://go.dev/dl/, `tar -C /usr/local -xzf go*.linux-amd64.tar.gz` and add /usr/local/go/bin to PATH)';

export async function ensureCometbft(opts: EnsureCometbftOptions = {}): Promise<EnsureCometbftResult> {
  const binDir = opts.binDir ?? toolsBinDir();
  const binary = join(binDir, 'cometbft');
  const log = opts.log ?? ((): void => {});

  const found = await installedVersion(binary);
  if (found !== undefined && matchesPinnedVersion(found)) {
    return { binary, version: found, installed: false };
  }
  if (found !== undefined) log(`found CometBFT ${found} at ${binary}, but Cairn needs ${COMETBFT_VERSION}`);

  const go = opts.go ?? 'go';
  const goVersion = await readGoVersion(go, binary);
  log(`installing CometBFT ${COMETBFT_VERSION} with go install (about a minute)… [${goVersion}]`);
  await mkdir(binDir, { recursive: true });
  await goInstall(go, binDir, log, opts.timeoutMs ?? 15 * 60_000);

  const after = await installedVersion(binary);
  if (after === undefined || !matchesPinnedVersion(after)) {
    throw new CometbftInstallError(
      `go install finished but ${binary} reports ${after ?? 'nothing'} instead of ${COMETBFT_VERSION}. ` +
        `Delete ${binDir} and run \`node scripts/setup.ts\` again.`,
    );
  }
  return { binary, version: after, installed: true };
}

function readGoVersion(go: string, binary: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(go, ['version'], { timeout: 30_000 }, (error, stdout) => {
      if (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        reject(
          new GoNotFoundError(
            `${missing ? `\`${go}\` was not found on PATH` : `\`${go} version\` failed (${error.message})`}. ` +
              `Go is needed once, to build CometBFT ${COMETBFT_VERSION} into ${binary}. ${GO_INSTALL_HELP}, ` +
              `then run \`node scripts/setup.ts\` again. Alternatively put a cometbft ${COMETBFT_VERSION} binary at ${binary}.`,
          ),
        );
        return;
      }
      resolve(stdout.trim());
    });
  });
}

function goInstall(go: string, binDir: string, log: (line: string) => void, timeoutMs: number): Promise<void> {
  const target = `${COMETBFT_PACKAGE}@${COMETBFT_VERSION}`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // GOBIN is the only thing we change: the user's GOPATH module and build caches make reinstalls quick.
    const child = spawn(go, ['install', target], {
      env: { ...process.env, GOBIN: binDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const heartbeat = setInterval(() => {
      log(`  still building CometBFT (${Math.round((performance.now() - started) / 1000)} s)…`);
    }, 15_000);
    child.on('error', (error) => {
      clearInterval(heartbeat);
      reject(new CometbftInstallError(`could not run \`${go} install ${target}\`: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearInterval(heartbeat);
      if (code === 0) {
        log(`installed CometBFT ${COMETBFT_VERSION} in ${Math.round((performance.now() - started) / 1000)} s`);
        resolve();
        return;
      }
      const how = signal === null ? `exit code ${String(code)}` : `stopped by ${signal}`;
      reject(
        new CometbftInstallError(
          `\`GOBIN=${binDir} ${go} install ${target}\` failed (${how}).\n${explainGoInstallFailure(output)}\n` +
            `--- go output (last lines) ---\n${lastLines(output, 25)}`,
        ),
      );
    });
  });
}

// Turns go's output into the one thing a user should do next.
export function explainGoInstallFailure(output: string): string {
  if (/requires go >= |go\.mod requires go|toolchain not available|unknown directive: toolchain/.test(output)) {
    return `Your Go is too old for CometBFT ${COMETBFT_VERSION} (its go.mod needs Go 1.22). ${GO_INSTALL_HELP}.`;
  }
  if (
    /dial tcp|no such host|i\/o timeout|connection refused|connection reset|TLS handshake|x509:|proxyconnect|network is unreachable|module lookup disabled/.test(
      output,
    )
  ) {
    return (
      'The Go module proxy could not be reached. go install downloads CometBFT and its dependencies from ' +
      `GOPROXY (${process.env['GOPROXY'] ?? 'https://proxy.golang.org by default'}); make sure it is reachable ` +
      '(check the network, HTTPS_PROXY, or set GOPROXY to a mirror you can reach), then run `node scripts/setup.ts` again.'
    );
  }
  if (/linkname|undefined: |cannot use .* as|build constraints exclude/.test(output)) {
    return (
      'CometBFT did not compile with this Go version. Retry with an older toolchain, which go downloads by itself: ' +
      '`GOTOOLCHAIN=go1.22.12 node scripts/setup.ts`.'
    );
  }
  if (/no space left on device/.test(output)) {
    return 'The disk is full: free some space (the Go build cache needs a few hundred MB) and try again.';
  }
  return 'Read the go output below; after fixing the cause run `node scripts/setup.ts` again.';
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}
