import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Request, type Response } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../log.ts';
import { AbciClient, AbciClientClosedError } from './client.ts';
import { FakeApp } from '../../test/support/fake-abci-app.ts';
import { AbciAddressInUseError, parseAbciAddress, startAbciServer, type AbciServer } from './server.ts';

let dir: string;
let servers: AbciServer[];
let clients: AbciClient[];
let lines: string[];
/** The captured log lines, parsed (one JSON object each). */
const logged = (): Record<string, unknown>[] => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
let logger: Logger;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'abci-'));
  servers = [];
  clients = [];
  lines = [];
  logger = createLogger({ name: 'abci', write: (l) => lines.push(l) });
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(servers.map((s) => s.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function serve(app: FakeApp, address = 'tcp://127.0.0.1:0'): Promise<AbciServer> {
  const server = await startAbciServer(app, { address, logger });
  servers.push(server);
  return server;
}

async function connect(address: string): Promise<AbciClient> {
  const c = await AbciClient.connect(address);
  clients.push(c);
  return c;
}

const echo = (message: string): Request => Request.fromPartial({ echo: { message } });
const flush = (): Request => Request.fromPartial({ flush: {} });
const info = (): Request => Request.fromPartial({ info: { version: '0.38.25' } });
const checkTx = (n: number): Request => Request.fromPartial({ checkTx: { tx: new TextEncoder().encode(`tx${n}`) } });
const txOf = (res: Response): string => new TextDecoder().decode(res.checkTx?.data);

async function roundTrip(address: string): Promise<void> {
  const client = await connect(address);
  expect(await client.call(echo('hello'))).toEqual({ echo: { message: 'hello' } });
  expect(await client.call(flush())).toEqual({ flush: {} });
  const res = await client.call(info());
  expect(res.info?.data).toBe('fake');
  expect(res.info?.lastBlockHeight).toBe(7n);
  expect(res.exception).toBeUndefined();
}

describe('the ABCI server', () => {
  it('answers Echo, Flush and Info over TCP and reports the port it picked', async () => {
    const server = await serve(new FakeApp());
    expect(server.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(server.address).not.toBe('tcp://127.0.0.1:0');
    await roundTrip(server.address);
  });

  it('answers Echo, Flush and Info over a unix socket', async () => {
    const path = join(dir, 'app.sock');
    const server = await serve(new FakeApp(), `unix://${path}`);
    expect(server.address).toBe(`unix://${path}`);
    await roundTrip(server.address);
  });

  it('replaces a stale unix socket left by a killed process', async () => {
    const path = join(dir, 'stale.sock');
    const script = `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
    await new Promise((resolve) => spawn(process.execPath, ['-e', script], { stdio: 'ignore' }).on('exit', resolve));
    expect(existsSync(path)).toBe(true);
    const server = await serve(new FakeApp(), `unix://${path}`);
    await roundTrip(server.address);
  });

  it('refuses a unix socket path that a live server or a regular file holds', async () => {
    const live = join(dir, 'live.sock');
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(live, resolve));
    try {
      await expect(startAbciServer(new FakeApp(), { address: `unix://${live}`, logger })).rejects.toThrow(
        AbciAddressInUseError,
      );
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
    const file = join(dir, 'file');
    await writeFile(file, 'keep me');
    await expect(startAbciServer(new FakeApp(), { address: `unix://${file}`, logger })).rejects.toThrow(
      AbciAddressInUseError,
    );
    expect(existsSync(file)).toBe(true);
  });

  it('answers many pipelined requests in the order they were sent', async () => {
    const app = new FakeApp();
    const client = await connect((await serve(app)).address);
    const reqs: Request[] = [];
    for (let i = 0; i < 600; i++) reqs.push(i % 3 === 0 ? checkTx(i) : i % 3 === 1 ? echo(`e${i}`) : flush());
    const answers = await Promise.all(reqs.map((r) => client.call(r)));
    answers.forEach((res, i) => {
      if (i % 3 === 0) expect(txOf(res)).toBe(`tx${i}`);
      else if (i % 3 === 1) expect(res).toEqual({ echo: { message: `e${i}` } });
      else expect(res).toEqual({ flush: {} });
    });
    expect(app.calls).toHaveLength(200);
  });

  it('never runs two app calls at once across four concurrent connections', async () => {
    const app = new FakeApp({ yields: 2 });
    const server = await serve(app);
    const conns = await Promise.all([0, 1, 2, 3].map(() => connect(server.address)));
    const results = await Promise.all(
      conns.map((c, k) =>
        Promise.all(Array.from({ length: 40 }, (_, i) => c.call(checkTx(k * 1000 + i)))).then((rs) => rs.map(txOf)),
      ),
    );
    expect(app.reentered).toBe(false);
    results.forEach((txs, k) => expect(txs).toEqual(Array.from({ length: 40 }, (_, i) => `tx${k * 1000 + i}`)));
    expect(app.calls).toHaveLength(160);
  });

  it('closes only the connection that sends garbage, after answering what it sent before', async () => {
    const server = await serve(new FakeApp());
    const bad = await connect(server.address);
    const good = await connect(server.address);
    const before = bad.call(echo('before'));
    bad.writeRaw(new Uint8Array([0x03, 0xff, 0xff, 0xff]));
    expect(await before).toEqual({ echo: { message: 'before' } });
    await bad.closed;
    expect(await good.call(echo('still here'))).toEqual({ echo: { message: 'still here' } });
    const line = logged().find((l) => l.level === 'warn' && String(l.msg).includes('closing connection'));
    expect(line?.['component']).toBe('abci');
    expect(line?.['remote']).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(JSON.stringify(line)).toContain('MalformedMessageError');
  });

  it('closes a connection that sends a request with no method set', async () => {
    const server = await serve(new FakeApp());
    const client = await connect(server.address);
    const pending = client.call(Request.fromPartial({}));
    await expect(pending).rejects.toThrow(AbciClientClosedError);
    expect(lines.some((l) => l.includes('UnknownRequestError'))).toBe(true);
  });

  it('closes a connection whose frame is larger than the maximum', async () => {
    const server = await startAbciServer(new FakeApp(), { address: 'tcp://127.0.0.1:0', logger, maxFrameBytes: 100 });
    servers.push(server);
    const client = await connect(server.address);
    await expect(client.call(checkTx(1))).resolves.toBeDefined();
    await expect(client.call(Request.fromPartial({ checkTx: { tx: new Uint8Array(200) } }))).rejects.toThrow(
      AbciClientClosedError,
    );
    expect(lines.some((l) => l.includes('FrameTooLargeError'))).toBe(true);
  });

  it('logs and closes the connection when an app method throws, and keeps accepting new ones', async () => {
    const server = await serve(new FakeApp({ failing: ['query'] }));
    const client = await connect(server.address);
    const failed = client.call(Request.fromPartial({ query: { path: '/x' } }));
    const after = client.call(echo('never answered'));
    await expect(failed).rejects.toThrow(AbciClientClosedError);
    await expect(after).rejects.toThrow(AbciClientClosedError);
    const line = logged().find((l) => l.level === 'error');
    expect(line?.['method']).toBe('query');
    expect(JSON.stringify(line)).toContain('fake query failure');
    expect(line?.['remote']).toMatch(/^127\.0\.0\.1:\d+$/);
    await roundTrip(server.address);
  });

  it('answers every request of a peer that half-closes its side', async () => {
    const server = await serve(new FakeApp({ yields: 3 }));
    const client = await connect(server.address);
    const answers = Promise.all([client.call(info()), client.call(echo('last'))]);
    client.end();
    const [i, e] = await answers;
    expect(i.info?.data).toBe('fake');
    expect(e).toEqual({ echo: { message: 'last' } });
    await client.closed;
  });

  it('stop() closes the listener and every live connection, and removes the unix socket', async () => {
    const path = join(dir, 'stop.sock');
    const server = await serve(new FakeApp(), `unix://${path}`);
    const tcp = await serve(new FakeApp());
    const a = await connect(server.address);
    const b = await connect(tcp.address);
    await a.call(flush());
    await b.call(flush());
    await Promise.all([server.stop(), tcp.stop()]);
    await Promise.all([a.closed, b.closed]);
    await expect(AbciClient.connect(tcp.address)).rejects.toThrow(/ECONNREFUSED/);
    expect(existsSync(path)).toBe(false);
  });

  it('stop() waits for an app call in progress to return', async () => {
    const app = new FakeApp();
    const server = await serve(app);
    const client = await connect(server.address);
    app.close();
    void client.call(info()).catch(() => {});
    while (app.calls.length === 0) await new Promise((r) => setImmediate(r));
    let stopped = false;
    const stopping = server.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    app.open();
    await stopping;
    expect(stopped).toBe(true);
  });
});

describe('ABCI addresses', () => {
  it('parses the forms CometBFT accepts for proxy_app', () => {
    expect(parseAbciAddress('tcp://127.0.0.1:26658')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 26658 });
    expect(parseAbciAddress('127.0.0.1:26658')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 26658 });
    expect(parseAbciAddress('tcp://[::1]:1')).toEqual({ kind: 'tcp', host: '::1', port: 1 });
    expect(parseAbciAddress('unix:///tmp/app.sock')).toEqual({ kind: 'unix', path: '/tmp/app.sock' });
    expect(() => parseAbciAddress('grpc://127.0.0.1:1')).toThrow(/unsupported scheme/);
    expect(() => parseAbciAddress('tcp://127.0.0.1')).toThrow(/host:port/);
    expect(() => parseAbciAddress('tcp://127.0.0.1:70000')).toThrow(/host:port/);
  });
});
