import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { AppHashCheck } from './app-hash.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server === undefined ? r() : server.close(() => r()))));

/** A CometBFT RPC whose latest block header says `header`. */
async function rpc(header: { height: string; app_hash: string }): Promise<string> {
  server = createServer((req, res) => {
    if (req.url !== '/block') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: -1, result: { block: { header } } }));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const ours = new Map([[9n, Uint8Array.of(0xab, 0xcd)]]);

async function values(reg: Registry): Promise<string> {
  return reg.metrics();
}

describe("the app hash check against another node's headers", () => {
  it('counts a match when header 10 carries the hash this node computed after block 9', async () => {
    const reg = new Registry();
    const check = new AppHashCheck({ rpcUrl: await rpc({ height: '10', app_hash: 'ABCD' }), appHashAt: (h) => ours.get(h), registry: reg, logger: silentLogger });
    expect(await check.checkOnce()).toBe(true);
    const text = await values(reg);
    expect(text).toContain('cairn_app_hash_checks_total{result="match"} 1');
    expect(text).toContain('cairn_app_hash_mismatch 0');
  });

  it('flags a mismatch, and logs both hashes', async () => {
    const reg = new Registry();
    const lines: unknown[] = [];
    const logger = { ...silentLogger, error: (m: string, f?: unknown) => void lines.push({ m, f }) };
    const check = new AppHashCheck({ rpcUrl: await rpc({ height: '10', app_hash: 'ABCE' }), appHashAt: (h) => ours.get(h), registry: reg, logger });
    expect(await check.checkOnce()).toBe(true);
    const text = await values(reg);
    expect(text).toContain('cairn_app_hash_checks_total{result="mismatch"} 1');
    expect(text).toContain('cairn_app_hash_mismatch 1');
    expect(JSON.stringify(lines)).toContain('"ours":"ABCD","theirs":"ABCE"');
  });

  it('compares nothing for a height this node has not run, or an RPC that does not answer', async () => {
    const reg = new Registry();
    const ahead = new AppHashCheck({ rpcUrl: await rpc({ height: '50', app_hash: 'ABCD' }), appHashAt: (h) => ours.get(h), registry: reg, logger: silentLogger });
    expect(await ahead.checkOnce()).toBe(false);
    const down = new AppHashCheck({ rpcUrl: 'http://127.0.0.1:1', appHashAt: (h) => ours.get(h), registry: new Registry(), logger: silentLogger });
    expect(await down.checkOnce()).toBe(false);
    expect(await values(reg)).toContain('cairn_app_hash_mismatch 0');
  });
});
