// The REST server's bounds without a chain behind it: a client that sends its headers too slowly is
// cut off with 408, a query past its deadline answers 504, and the server keeps answering others.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { RestServer } from './rest.ts';
import { ApiQueries } from './router.ts';

const servers: RestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function start(abciQuery: ConstructorParameters<typeof ApiQueries>[0]['abciQuery'], timeoutMs = 5_000): Promise<RestServer> {
  const server = new RestServer({
    host: '127.0.0.1',
    port: 0,
    queries: new ApiQueries({ abciQuery, services: new Map(), timeoutMs }),
    logger: silentLogger,
    cors: true,
    maxOpenConnections: 10,
    maxBodyBytes: 1024,
    headersTimeoutMs: 500,
    requestTimeoutMs: 1_000,
  });
  servers.push(server);
  await server.start();
  return server;
}

const ok = async () => ({ code: 0, log: '', info: '', index: 0n, key: new Uint8Array(), value: new Uint8Array(), height: 7n, codespace: '' });

describe('RestServer bounds', () => {
  it('cuts off a client that trickles its headers, and keeps serving others', async () => {
    const server = await start(ok);
    const url = new URL(server.url);
    const slow = connect(Number(url.port), '127.0.0.1');
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      slow.on('connect', () => slow.write('GET /cosmos/bank/v1beta1/params HTTP/1.1\r\nhost: x\r\n'));
      slow.on('data', (d) => (text += d.toString()));
      slow.on('close', () => resolve(text));
      slow.on('error', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const r = await fetch(`${server.url}/cosmos/bank/v1beta1/params`, { signal: AbortSignal.timeout(10_000) });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-cosmos-block-height')).toBe('7');
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers 504 DeadlineExceeded for a query past its deadline', async () => {
    const server = await start(() => new Promise(() => {}), 300);
    const r = await fetch(`${server.url}/cosmos/bank/v1beta1/params`, { signal: AbortSignal.timeout(10_000) });
    expect(r.status).toBe(504);
    expect(await r.json()).toMatchObject({ code: 4, details: [] });
  });

  it('answers a CORS preflight', async () => {
    const server = await start(ok);
    const r = await fetch(`${server.url}/cosmos/tx/v1beta1/txs`, { method: 'OPTIONS', signal: AbortSignal.timeout(10_000) });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-methods')).toContain('POST');
  });
});
