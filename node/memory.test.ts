// The flags and environment a node process is started with (node/process.json), and that a user's own
// win; and that freed native memory goes back to the OS.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nodeProcessSettings } from './memory.ts';
import settings from './process.json' with { type: 'json' };

const run = promisify(execFile);

describe('nodeProcessSettings', () => {
  it('gives a node process its young generation size and glibc malloc settings', async () => {
    const { flags, env } = nodeProcessSettings({ PATH: process.env['PATH'] ?? '' });
    expect(flags).toEqual(['--max-semi-space-size=8']);
    expect(env).toMatchObject({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' });
    // A process spawned with them runs with them.
    const script = 'console.log(JSON.stringify({ argv: process.execArgv, arenas: process.env.MALLOC_ARENA_MAX }))';
    const { stdout } = await run(process.execPath, [...flags, '-e', script], { env });
    const seen = JSON.parse(stdout) as { argv: string[]; arenas: string };
    expect(seen.argv).toContain('--max-semi-space-size=8');
    expect(seen.arenas).toBe('2');
  });

  it('leaves a flag or variable the user set alone', () => {
    const { flags, env } = nodeProcessSettings({ NODE_OPTIONS: '--max-semi-space-size=32', MALLOC_ARENA_MAX: '8' });
    expect(flags).toEqual([]);
    expect(env['MALLOC_ARENA_MAX']).toBe('8');
    expect(env['NODE_OPTIONS']).toBe('--max-semi-space-size=32');
    expect(env['MALLOC_MMAP_THRESHOLD_']).toBe(settings.env.MALLOC_MMAP_THRESHOLD_);
  });
});

describe('trimNativeHeap', () => {
  it("gives back the pages of glibc's heap that freed blocks held below a live one", async () => {
    // 100 MiB of 1 KiB blocks (typed arrays over 64 bytes are malloc'd), one in 64 kept: once the
    // rest are collected glibc keeps their pages, as it did after a big genesis's first commit.
    const script = `
      import { readFileSync } from 'node:fs';
      import { trimNativeHeap } from ${JSON.stringify(fileURLToPath(new URL('./memory.ts', import.meta.url)))};
      const rssMiB = () => Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
      let blocks = [];
      const kept = [];
      for (let i = 0; i < 100_000; i++) {
        const b = new Uint8Array(1024).fill(1);
        blocks.push(b);
        if (i % 64 === 63) kept.push(b);
      }
      blocks = undefined;
      gc();
      const before = rssMiB();
      const trimmed = trimNativeHeap();
      console.log(JSON.stringify({ before, after: rssMiB(), trimmed, kept: kept.length }));`;
    const { flags, env } = nodeProcessSettings({ PATH: process.env['PATH'] ?? '' });
    const { stdout } = await run(process.execPath, [...flags, '--expose-gc', '--input-type=module', '-e', script], { env });
    const seen = JSON.parse(stdout) as { before: number; after: number; trimmed: boolean; kept: number };
    expect(seen.trimmed).toBe(true);
    expect(seen.kept).toBe(1562);
    expect(seen.before - seen.after).toBeGreaterThan(60);
  });
});
