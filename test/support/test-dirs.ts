// A test file's temporary directories: made under the OS's temp dir, and removed after the file's
// own afterAll hooks have stopped whatever ran in them (test/setup/test-dirs.ts). A file with a
// failed test keeps them, and their paths are printed, for a look at the nodes' logs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A new directory under the OS temp dir, named `prefix` and six random characters, removed when the test file is done. */
export async function testDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes (or, with `keep`, names) every directory `testDir` made in this file. */
export async function releaseTestDirs(keep: boolean): Promise<void> {
  const dirs = made.splice(0);
  if (keep) {
    if (dirs.length > 0) console.log(`kept for a look after a failure:\n  ${dirs.join('\n  ')}`);
    return;
  }
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true, maxRetries: 3 })));
}
