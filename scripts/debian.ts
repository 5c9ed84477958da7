// Debian packages some tests drive as real programs (libfaketime, chromium, prometheus): installed
// with apt when missing, in a root shell with apt-get; otherwise the user is told how.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface DebianTool<T> {
  /** The package name, e.g. "chromium". */
  readonly pkg: string;
  /** What it is for, e.g. "the explorer’s browser test runs it headless". */
  readonly why: string;
  /** What the caller needs from it once installed (a path, a flag), undefined/false while missing. */
  readonly find: () => T;
}

/** Returns `tool.find()`, installing the package first when it is missing and that is possible. */
export function ensureDebianPackage<T>(tool: DebianTool<T>, log: (line: string) => void): T {
  const found = tool.find();
  if ((found !== undefined && found !== false) || process.platform !== 'linux') return found;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    log(`${tool.pkg} is missing (${tool.why}): install it with \`sudo apt-get install ${tool.pkg}\``);
    return found;
  }
  log(`installing ${tool.pkg} (Debian): ${tool.why}; this takes a minute once…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): void => void execFileSync('apt-get', ['install', '-y', '--no-install-recommends', tool.pkg], { stdio: 'ignore', timeout: 600_000, env });
  try {
    install();
  } catch {
    // A fresh image may have no package lists yet.
    try {
      execFileSync('apt-get', ['update'], { stdio: 'ignore', timeout: 300_000, env });
      install();
    } catch {
      log(`apt-get install ${tool.pkg} failed: install it yourself (${tool.why})`);
    }
  }
  return tool.find();
}
