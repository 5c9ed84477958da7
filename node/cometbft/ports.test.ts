import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, freePorts } from './ports.ts';

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('free ports', () => {
  it('gives distinct loopback ports that can be listened on', async () => {
    const ports = await freePorts(6);
    expect(new Set(ports).size).toBe(6);
    for (const port of ports) expect(await canListen(port)).toBe(true);
    expect(await canListen(await freePort())).toBe(true);
  });

  it('rejects a negative count', async () => {
    await expect(freePorts(-1)).rejects.toThrow(RangeError);
  });
});

describe('free ports across processes', () => {
  it('never hands a port to another process while the one that reserved it lives', async () => {
    const { execFileSync } = await import('node:child_process');
    const ours = new Set(await freePorts(20));
    const script = `import { freePorts } from ${JSON.stringify(new URL('./ports.ts', import.meta.url).href)}; console.log(JSON.stringify(await freePorts(200)));`;
    const theirs = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as number[];
    expect(theirs).toHaveLength(200);
    expect(theirs.filter((p) => ours.has(p))).toEqual([]);
    // Below the kernel's ephemeral range, away from the default ports a real node uses.
    for (const p of [...ours, ...theirs]) {
      expect(p).toBeGreaterThanOrEqual(20_000);
      expect(p).toBeLessThanOrEqual(32_000);
      expect(p < 26_650 || p > 26_670).toBe(true);
    }
  });

  it('gives a process a different port each time it asks', async () => {
    const a = await freePorts(50);
    const b = await freePorts(50);
    expect(a.filter((p) => b.includes(p))).toEqual([]);
  });
});
