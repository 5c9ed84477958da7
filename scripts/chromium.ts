// Debian's chromium, which the explorer's browser test drives headless with puppeteer-core
// (test/explorer-browser.test.ts).
import { existsSync } from 'node:fs';
import { ensureDebianPackage } from './debian.ts';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

export function ensureChromium(log: (line: string) => void): string | undefined {
  return ensureDebianPackage({ pkg: 'chromium', why: 'the explorer’s browser test runs it headless', find: chromiumPath }, log);
}
