// Debian's prometheus (with promtool), which the monitoring test runs against a node
// (test/prometheus.test.ts). Installed from Debian when missing and possible, as chromium is; the
// package's own service is not started (the test runs its own prometheus on a free port).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';

export function prometheusInstalled(): boolean {
  return existsSync(PROMETHEUS) && existsSync(PROMTOOL);
}

/** Installs Debian's prometheus when it is missing and this is a root shell with apt-get; says so otherwise. */
export function ensurePrometheus(log: (line: string) => void): boolean {
  if (prometheusInstalled() || process.platform !== 'linux') return prometheusInstalled();
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    log('prometheus is missing (the monitoring test scrapes a node with it): install it with `sudo apt-get install prometheus`');
    return false;
  }
  log('installing prometheus (Debian) for the monitoring test…');
  const install = (): void => {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus'], { stdio: 'ignore', timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  try {
    install();
  } catch {
    // A fresh image may have no package lists yet.
    try {
      execFileSync('apt-get', ['update'], { stdio: 'ignore', timeout: 300_000 });
      install();
    } catch {
      log('apt-get install prometheus failed: install it yourself for the monitoring test');
    }
  }
  return prometheusInstalled();
}
