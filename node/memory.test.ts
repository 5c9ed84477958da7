// The flags and environment a node process is started with (node/process.json), and that a user's own win.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nodeProcessSettings } from './memory.ts';
import settings from './process.json' with { type: 'json' };

const run = promisify(execFile);

describe('nodeProcessSettings', () => {
  it('gives a node process a smaller young generation and glibc malloc settings', async () => {
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
