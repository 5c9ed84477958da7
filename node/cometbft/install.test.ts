import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CometbftInstallError, GoNotFoundError } from './errors.ts';
import { ensureCometbft, explainGoInstallFailure } from './install.ts';
import { withTempDir } from '../../test/support/cometbft.ts';
import { COMETBFT_VERSION, matchesPinnedVersion } from './version.ts';

// A stand-in for `go`: answers `go version`, records its install arguments, then runs `body`.
async function fakeGo(dir: string, body: string): Promise<string> {
  const path = join(dir, 'go');
  await writeFile(
    path,
    `#!/bin/sh\nif [ "$1" = version ]; then echo "go version go1.99 fake"; exit 0; fi\necho "$@" > "${dir}/go-args"\n${body}\n`,
  );
  await chmod(path, 0o755);
  return path;
}

const writesCometbft = (version: string): string =>
  `printf '#!/bin/sh\\necho ${version}\\n' > "$GOBIN/cometbft" && chmod +x "$GOBIN/cometbft"`;

describe('installing CometBFT', () => {
  it('finds the pinned CometBFT that setup installed without running go', async () => {
    const result = await ensureCometbft({ go: '/nonexistent/go' });
    expect(result.installed).toBe(false);
    expect(matchesPinnedVersion(result.version)).toBe(true);
    expect(result.binary).toMatch(/\.tools\/bin\/cometbft$/);
  });

  it('builds it with go install into the tools directory and shows progress', async () => {
    await withTempDir(async (dir) => {
      const lines: string[] = [];
      const binDir = join(dir, 'bin');
      const result = await ensureCometbft({ binDir, go: await fakeGo(dir, writesCometbft('0.38.25')), log: (l) => lines.push(l) });
      expect(result).toEqual({ binary: join(binDir, 'cometbft'), version: '0.38.25', installed: true });
      expect((await readFile(join(dir, 'go-args'), 'utf8')).trim()).toBe(`install github.com/cometbft/cometbft/cmd/cometbft@${COMETBFT_VERSION}`);
      expect(lines[0]).toContain(`installing CometBFT ${COMETBFT_VERSION} with go install (about a minute)`);
    });
  });

  it('replaces a CometBFT of another version and says which one it found', async () => {
    await withTempDir(async (dir) => {
      const lines: string[] = [];
      await writeFile(join(dir, 'cometbft'), '#!/bin/sh\necho 0.38.24\n');
      await chmod(join(dir, 'cometbft'), 0o755);
      const result = await ensureCometbft({ binDir: dir, go: await fakeGo(dir, writesCometbft('0.38.25')), log: (l) => lines.push(l) });
      expect(result.installed).toBe(true);
      expect(lines.join('\n')).toContain(`found CometBFT 0.38.24 at ${join(dir, 'cometbft')}, but Cairn needs ${COMETBFT_VERSION}`);
    });
  });

  it('without Go, explains how to install Go and where the binary would go', async () => {
    await withTempDir(async (dir) => {
      const error = await ensureCometbft({ binDir: dir, go: join(dir, 'no-such-go') }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GoNotFoundError);
      expect(String(error)).toContain('was not found on PATH');
      expect(String(error)).toContain('https://go.dev/doc/install');
      expect(String(error)).toContain(join(dir, 'cometbft'));
    });
  });

  it('when the module proxy cannot be reached, says so and shows go output', async () => {
    await withTempDir(async (dir) => {
      const go = await fakeGo(
        dir,
        `echo 'go: github.com/cometbft/cometbft/cmd/cometbft@v0.38.25: Get "https://proxy.golang.org/...": dial tcp: lookup proxy.golang.org: no such host' >&2; exit 1`,
      );
      const error = await ensureCometbft({ binDir: dir, go }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CometbftInstallError);
      expect(String(error)).toContain('Go module proxy could not be reached');
      expect(String(error)).toContain('no such host');
    });
  });

  it('notices when go install produced a binary of the wrong version', async () => {
    await withTempDir(async (dir) => {
      const error = await ensureCometbft({ binDir: dir, go: await fakeGo(dir, writesCometbft('0.37.0')) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CometbftInstallError);
      expect(String(error)).toContain('reports 0.37.0');
    });
  });

  it('turns common go failures into the next step to take', () => {
    expect(explainGoInstallFailure('go: go.mod requires go >= 1.22.11 (running go 1.20.1)')).toMatch(/too old/);
    expect(explainGoInstallFailure('dial tcp 142.250.1.1:443: i/o timeout')).toMatch(/module proxy/);
    expect(explainGoInstallFailure('link: github.com/x: invalid reference to runtime.foo (linkname)')).toMatch(/GOTOOLCHAIN=go1\.22/);
    expect(explainGoInstallFailure('something else')).toMatch(/go output below/);
  });

  it('accepts the version string of a build from a git checkout', () => {
    expect(matchesPinnedVersion('0.38.25')).toBe(true);
    expect(matchesPinnedVersion('0.38.25+baaa61e6')).toBe(true);
    expect(matchesPinnedVersion('0.38.2')).toBe(false);
    expect(matchesPinnedVersion('0.38.250')).toBe(false);
  });
});
