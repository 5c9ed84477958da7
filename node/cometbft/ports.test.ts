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
