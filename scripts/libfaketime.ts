// libfaketime, which the chaos run's clock-skew fault preloads into one node's app to run it with
// a clock minutes off (test/support/chaos.ts). Installed from Debian when missing and possible.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1'];

export function libfaketimePath(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

/** Installs Debian's libfaketime when it is missing and this is a root shell with apt-get; says so otherwise. */
export function ensureLibfaketime(log: (line: string) => void): string | undefined {
  const found = libfaketimePath();
  if (found !== undefined || process.platform !== 'linux') return found;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    log('libfaketime is missing (the chaos run skews a node’s clock with it): install it with `sudo apt-get install libfaketime`');
    return undefined;
  }
  log('installing libfaketime (Debian) for the chaos run’s clock-skew fault…');
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'libfaketime'], { stdio: 'ignore', timeout: 180_000 });
  } catch {
    log('apt-get install libfaketime failed: install it yourself for `npm run chaos` and the chaos test');
  }
  return libfaketimePath();
}
