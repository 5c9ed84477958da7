// LevelDB's tables are read with pread, so the pages reads touch are not in the node's RSS; each case
// runs in a process of its own, as the setting is the process's and fixed at its first open.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/store.ts';

const run = promisify(execFile);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Writes ~12 MiB (tables beyond the 4 MiB memtable), reopens and reads it all back; reports the mapped tables. */
function script(open: 'backend' | 'classic-level', dir: string): string {
  const backend = JSON.stringify(fileURLToPath(new URL('./level-backend.ts', import.meta.url)));
  return `
    import { readFileSync } from 'node:fs';
    const dir = ${JSON.stringify(dir)};
    const openDb = async () => {
      if (${JSON.stringify(open)} === 'backend') return (await import(${backend})).LevelBackend.open(dir);
      const { ClassicLevel } = await import('classic-level');
      const db = new ClassicLevel(dir, { keyEncoding: 'view', valueEncoding: 'view' });
      await db.open();
      return { getSync: (k) => db.getSync(k), write: (ops) => db.batch(ops), close: () => db.close() };
    };
    const key = (i) => new TextEncoder().encode('key-' + String(i).padStart(6, '0'));
    const value = (i) => new Uint8Array(1000).fill(i % 251);
    let db = await openDb();
    for (let b = 0; b < 12; b++) {
      const ops = [];
      for (let i = b * 1000; i < (b + 1) * 1000; i++) ops.push({ type: 'put', key: key(i), value: value(i) });
      await db.write(ops);
    }
    await db.close();
    db = await openDb();
    let right = 0;
    for (let i = 0; i < 12_000; i++) if (db.getSync(key(i))?.[999] === i % 251) right++;
    const mapped = readFileSync('/proc/self/maps', 'utf8').split('\\n').filter((l) => l.endsWith('.ldb')).length;
    const tables = (await import('node:fs')).readdirSync(dir).filter((f) => f.endsWith('.ldb')).length;
    await db.close();
    console.log(JSON.stringify({ right, mapped, tables }));`;
}

async function reads(open: 'backend' | 'classic-level'): Promise<{ right: number; mapped: number; tables: number }> {
  const d = tempDir();
  cleanups.push(d.remove);
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script(open, d.path)]);
  return JSON.parse(stdout) as { right: number; mapped: number; tables: number };
}

describe.runIf(process.platform === 'linux')('LevelDB table reads', () => {
  it('reads every value back from its tables without mapping any of them', async () => {
    const seen = await reads('backend');
    expect(seen.tables).toBeGreaterThan(1);
    expect(seen.right).toBe(12_000);
    expect(seen.mapped).toBe(0);
  });

  it('maps the tables it reads when left to LevelDB’s default (what the check above would see)', async () => {
    const seen = await reads('classic-level');
    expect(seen.tables).toBeGreaterThan(1);
    expect(seen.right).toBe(12_000);
    expect(seen.mapped).toBeGreaterThan(0);
  });
});
