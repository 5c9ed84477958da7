// Watchers' claim stores for tests: each in its own temporary directory, opened, and closed and
// removed after the test file (or reopened at the same path to play a restart).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ClaimStore } from '../../node/watcher/claims.ts';

const open: ClaimStore[] = [];
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(open.splice(0).map((c) => c.close().catch(() => undefined)));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A new temporary directory for a claim store. */
export async function claimsDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-watcher-'));
  dirs.push(dir);
  return join(dir, 'watcher');
}

/** An opened claim store at `path` (a new temporary one by default). */
export async function openClaims(path?: string): Promise<ClaimStore> {
  const claims = new ClaimStore(path ?? (await claimsDir()));
  await claims.open();
  open.push(claims);
  return claims;
}
