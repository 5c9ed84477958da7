// libfaketime, which the chaos run's clock-skew fault preloads into one node's app to run it with
// a clock minutes off (test/support/chaos.ts).
import { existsSync } from 'node:fs';
import { ensureDebianPackage } from './debian.ts';

const CANDIDATES = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1'];

export function libfaketimePath(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

export function ensureLibfaketime(log: (line: string) => void): string | undefined {
  return ensureDebianPackage({ pkg: 'libfaketime', why: 'the chaos run skews a node’s clock with it', find: libfaketimePath }, log);
}
