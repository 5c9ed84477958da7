import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { CONTENT_TYPE, MetricsServer } from './server.ts';

/** One raw HTTP exchange: what the server wrote before it closed the connection. */
function raw(url: string, request: string, opts: { keepOpen?: boolean } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(request);
      if (opts.keepOpen !== true) socket.end();
    });
    let out = '';
    socket.on('data', (c: Buffer) => (out += c.toString()));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('the metrics endpoint', () => {
  it('serves GET /metrics on 127.0.0.1 with the 0.0.4 content type, 404 elsewhere, and stops', async () => {
    let scrapes = 0;
    const server = new MetricsServer({ host: '127.0.0.1', port: 0, logger: silentLogger, collect: async () => `# TYPE scrapes_total counter\nscrapes_total ${++scrapes}\n` });
    await server.start();
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const r = await fetch(server.url);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe(CONTENT_TYPE);
      expect(await r.text()).toContain('scrapes_total 1\n');
      expect((await fetch(server.url)).status).toBe(200);
      expect(scrapes).toBe(2);
      expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
      expect((await fetch(server.url, { method: 'POST', body: 'x' })).status).toBe(405);
    } finally {
      await server.stop();
    }
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('refuses a request with a body, oversized headers, and a client too slow to send its headers', async () => {
    const server = new MetricsServer({ host: '127.0.0.1', port: 0, logger: silentLogger, headersTimeoutMs: 500, collect: async () => 'up 1\n' });
    await server.start();
    try {
      const body = await raw(server.url, 'GET /metrics HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\n\r\nhello');
      expect(body).toMatch(/^HTTP\/1\.1 413 /);
      const big = await raw(server.url, `GET /metrics HTTP/1.1\r\nhost: x\r\nx-pad: ${'a'.repeat(16 * 1024)}\r\n\r\n`);
      expect(big).toMatch(/^HTTP\/1\.1 431 /);
      // Half a request, never finished: the server closes the connection (408) instead of waiting.
      const started = Date.now();
      const slow = await raw(server.url, 'GET /metrics HTTP/1.1\r\nhost: x\r\n', { keepOpen: true });
      expect(slow).toMatch(/^HTTP\/1\.1 408 |^$/);
      expect(Date.now() - started).toBeLessThan(5_000);
      // And it still answers the next scrape.
      expect(await (await fetch(server.url)).text()).toBe('up 1\n');
    } finally {
      await server.stop();
    }
  });
});
