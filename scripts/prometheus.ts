// Debian's prometheus (with promtool), which the monitoring test runs against a node
// (test/prometheus.test.ts). The package's own service is not started: the test runs its own
// prometheus on a free port.
import { existsSync } from 'node:fs';
import { ensureDebianPackage } from './debian.ts';

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';

export function prometheusInstalled(): boolean {
  return existsSync(PROMETHEUS) && existsSync(PROMTOOL);
}

export function ensurePrometheus(log: (line: string) => void): boolean {
  return ensureDebianPackage({ pkg: 'prometheus', why: 'the monitoring test scrapes a node with it', find: prometheusInstalled }, log);
}
