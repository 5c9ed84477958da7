// The explorer's page server on its own, against a stand-in REST API: it serves its own files and
// nothing else, passes GET queries through, and refuses what could hold it up or reach past it.
import { type Server, createServer, request } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { ABSENT_OK_HEADER, ExplorerServer, INDEX_HEADER, MAX_URL_CHARS, UPSTREAM_STATUS_HEADER } from './server.ts';
import { freePorts } from '../cometbft/ports.ts';

let upstream: Server;
let explorer: ExplorerServer;
const seen: string[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url?.startsWith('/huge')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(`"${'x'.repeat(4096)}"`);
    if (req.url?.startsWith('/slow')) return void setTimeout(() => res.end('{}'), 3000);
    if (req.url?.startsWith('/missing')) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":5,"message":"not found","details":[]}');
    res.writeHead(200, { 'content-type': 'application/json', 'x-cosmos-block-height': '7' }).end(JSON.stringify({ path: req.url }));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const rest = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  explorer = new ExplorerServer({ host: '127.0.0.1', port: 0, rest, logger: silentLogger, upstreamTimeoutMs: 1000, maxUpstreamBytes: 1024, headersTimeoutMs: 1000, maxOpenConnections: 8 });
  await explorer.start();
});

afterAll(async () => {
  await explorer?.stop();
  await new Promise((r) => upstream?.close(r));
});

/** A raw request, so that paths are sent exactly as written (fetch would normalise them). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { port } = new URL(explorer.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the explorer page server', () => {
  it('serves its page with a strict content security policy', async () => {
    const r = await raw('GET', '/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('<script type="module" src="app.js">');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const js = await raw('GET', '/views/market.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('serves only its own files: a path that climbs out, or names anything else, is not found', async () => {
    for (const path of ['/../server.ts', '/%2e%2e/server.ts', '/..%2fserver.ts', '/views/../../server.ts', '/server.ts', '/static/index.html', '//etc/passwd', '/index.html%00.js']) {
      const r = await raw('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('import');
    }
  });

  it('passes GET /api/… to the REST API with its status, JSON and height header', async () => {
    const r = await raw('GET', '/api/cairn/registry/v1/operators?region=eu-west&pagination.limit=5');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ path: '/cairn/registry/v1/operators?region=eu-west&pagination.limit=5' });
    expect(r.headers['x-cosmos-block-height']).toBe('7');
    const missing = await raw('GET', '/api/missing');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).code).toBe(5);
    // The page marks the queries whose NotFound is an answer: 200, the node's 404 in a header.
    const absent = await raw('GET', '/api/missing', { [ABSENT_OK_HEADER]: '1' });
    expect(absent.status).toBe(200);
    expect(absent.headers[UPSTREAM_STATUS_HEADER]).toBe('404');
    expect(JSON.parse(absent.body).code).toBe(5);
  });

  it('answers 502 when the REST API is too slow or its answer too large, and stays up', async () => {
    const slow = await raw('GET', '/api/slow');
    expect(slow.status).toBe(502);
    expect(JSON.parse(slow.body).message).toContain('did not answer');
    const huge = await raw('GET', '/api/huge');
    expect(huge.status).toBe(502);
    expect(JSON.parse(huge.body).message).toContain('over 1024 bytes');
    expect((await raw('GET', '/')).status).toBe(200);
  });

  it('refuses other methods, request bodies and over-long URLs without asking the REST API', async () => {
    const before = seen.length;
    expect((await raw('POST', '/api/cosmos/tx/v1beta1/txs', { 'content-type': 'application/json' }, '{}')).status).toBe(405);
    expect((await raw('DELETE', '/')).status).toBe(405);
    expect((await raw('GET', '/api/x', { 'content-length': '5' }, 'hello')).status).toBe(413);
    expect((await raw('GET', `/api/x?q=${'a'.repeat(MAX_URL_CHARS)}`)).status).toBe(414);
    expect(seen.length).toBe(before);
  });

  it('drops a client that never finishes its headers', async () => {
    const { port } = new URL(explorer.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(answer).toContain('408');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses a REST URL that is not http(s)', () => {
    expect(() => new ExplorerServer({ host: '127.0.0.1', port: 0, rest: 'file:///etc', logger: silentLogger })).toThrow(/http/);
  });
});

describe('the explorer page server with a PostgreSQL index that does not answer', () => {
  it('starts anyway, answers tx reads with 503 and the reason, bad queries with 400, and still passes the rest to REST', async () => {
    const [port] = (await freePorts(1)) as [number];
    const rest = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const server = new ExplorerServer({ host: '127.0.0.1', port: 0, rest, logger: silentLogger, psql: { url: `postgres://x:secret@127.0.0.1:${port}/db`, chainId: 'c' } });
    await server.start();
    try {
      expect(server.txIndex).toBe('psql');
      const down = await fetch(`${server.url}api/cosmos/tx/v1beta1/txs/${'AB'.repeat(32)}`);
      expect(down.status).toBe(503);
      expect(down.headers.get(INDEX_HEADER)).toBe('psql');
      const body = (await down.json()) as { code: number; message: string };
      expect(body.code).toBe(14);
      expect(body.message).toMatch(/PostgreSQL index.*did not answer/);
      expect(body.message).not.toContain('secret');
      const bad = await fetch(`${server.url}api/cosmos/tx/v1beta1/txs?query=${encodeURIComponent("a.b='x' OR 1=1")}`);
      expect(bad.status).toBe(400);
      const before = seen.length;
      expect((await fetch(`${server.url}api/cosmos/bank/v1beta1/params`)).status).toBe(200);
      // Tx reads never went to REST; the rest did.
      expect(seen.slice(before)).toEqual(['GET /cosmos/bank/v1beta1/params']);
    } finally {
      await server.stop();
    }
  });
});
