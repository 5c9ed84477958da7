// Debian's chromium, which the explorer's browser test drives headless with puppeteer-core
// (test/explorer-browser.test.ts). Installed from Debian when missing and possible, as libfaketime is.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

/** Installs Debian's chromium when it is missing and this is a root shell with apt-get; says so otherwise. */
export function ensureChromium(log: (line: string) => void): string | undefined {
  const found = chromiumPath();
  if (found !== undefined || process.platform !== 'linux') return found;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    log('chromium is missing (the explorer’s browser test runs it headless): install it with `sudo apt-get install chromium`');
    return undefined;
  }
  log('installing chromium (Debian) for the explorer’s browser test; this takes a minute once…');
  const install = (): void => {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'ignore', timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  try {
    install();
  } catch {
    // A fresh image may have no package lists yet.
    try {
      execFileSync('apt-get', ['update'], { stdio: 'ignore', timeout: 300_000 });
      install();
    } catch {
      log('apt-get install chromium failed: install it yourself for the explorer’s browser test');
    }
  }
  return chromiumPath();
}
