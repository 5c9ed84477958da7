// The REST/LCD gateway and the gRPC server of a real node (CometBFT + the app): for a sample of
// every module's routes the REST JSON and the gRPC bytes equal the ABCI query's answer at the same
// height; a CosmJS-signed tx is broadcast, found and simulated over REST; reflection lists the
// services; bad input gets the SDK's statuses and the chain keeps producing blocks.
import * as grpc from '@grpc/grpc-js';
import { toBech32 } from '@cosmjs/encoding';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHeight, waitForHeight } from '../node/cometbft/rpc.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { toGatewayJson } from '../node/api/json.ts';
import { ROUTES, routeByQuery } from '../node/api/routes.ts';
import { eventually } from './support/localnet.ts';
import { createTestHome, type TestHome } from './support/node-home.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

const FUNDS = 10_000_000_000n;
const MAX_CONNECTIONS = 16;
const READ_TIMEOUT_S = 2;
const GRPC_IDLE_S = 2;
let home: TestHome;
let node: RunningNode;
let alice: TestWallet;
let bob: TestWallet;
let api: string;
let grpcClient: grpc.Client;

beforeAll(async () => {
  [alice, bob] = await Promise.all([testWallet(0), testWallet(1)]);
  home = await createTestHome([{ address: alice.address, amount: FUNDS }]);
  node = await startNode({
    home: home.home,
    logger: silentLogger,
    withCometbft: true,
    config: {
      apiEnabled: true,
      apiAddress: 'tcp://127.0.0.1:0',
      grpcAddress: '127.0.0.1:0',
      apiMaxOpenConnections: MAX_CONNECTIONS,
      apiMaxBodyBytes: 64 * 1024,
      apiTimeoutSeconds: READ_TIMEOUT_S,
      grpcMaxRecvMsgSize: 64 * 1024,
      grpcMaxConnectionIdleSeconds: GRPC_IDLE_S,
    },
  });
  api = node.api!.url;
  grpcClient = new grpc.Client(node.grpc!.address, grpc.credentials.createInsecure());
  await waitForHeight(home.rpcUrl, 3, 60_000);
}, 90_000);

afterAll(async () => {
  grpcClient?.close();
  await node?.stop();
});

async function abci(path: string, data: Uint8Array, height: bigint): Promise<Uint8Array> {
  const r = await node.app.query({ path, data, height, prove: false });
  if (r.code !== 0) throw new Error(`${path}: ${r.log}`);
  return r.value;
}

async function rest(path: string, init: RequestInit & { height?: bigint } = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers = new Headers(init.headers);
  if (init.height !== undefined) headers.set('x-cosmos-block-height', init.height.toString());
  const r = await fetch(`${api}${path}`, { ...init, headers, signal: AbortSignal.timeout(20_000) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown>, headers: r.headers };
}

function grpcPort(): string {
  return node.grpc!.address.split(':').at(-1)!;
}

function grpcUnary(path: string, request: Uint8Array, height?: bigint): Promise<{ value: Uint8Array; metadata: grpc.Metadata }> {
  const md = new grpc.Metadata();
  if (height !== undefined) md.set('x-cosmos-block-height', height.toString());
  return new Promise((resolve, reject) => {
    let metadata = new grpc.Metadata();
    const call = grpcClient.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from(request),
      md,
      { deadline: Date.now() + 20_000 },
      (err, value) => (err ? reject(err) : resolve({ value: new Uint8Array(value!), metadata })),
    );
    call.on('metadata', (m) => (metadata = m));
  });
}

/** One route of each module, with the request it takes in REST and protobuf form. */
function samples(): { rest: string; query: string; request: Record<string, unknown> }[] {
  return [
    { rest: `/cosmos/auth/v1beta1/accounts/${alice.address}`, query: '/cosmos.auth.v1beta1.Query/Account', request: { address: alice.address } },
    { rest: `/cosmos/bank/v1beta1/balances/${alice.address}`, query: '/cosmos.bank.v1beta1.Query/AllBalances', request: { address: alice.address } },
    { rest: `/cosmos/bank/v1beta1/balances/${alice.address}/by_denom?denom=ucairn`, query: '/cosmos.bank.v1beta1.Query/Balance', request: { address: alice.address, denom: 'ucairn' } },
    { rest: '/cosmos/staking/v1beta1/validators?pagination.limit=5&pagination.count_total=true', query: '/cosmos.staking.v1beta1.Query/Validators', request: { pagination: { limit: '5', countTotal: true } } },
    { rest: '/cosmos/staking/v1beta1/historical_info/2', query: '/cosmos.staking.v1beta1.Query/HistoricalInfo', request: { height: '2' } },
    { rest: '/cosmos/distribution/v1beta1/params', query: '/cosmos.distribution.v1beta1.Query/Params', request: {} },
    { rest: '/cosmos/slashing/v1beta1/signing_infos', query: '/cosmos.slashing.v1beta1.Query/SigningInfos', request: {} },
    { rest: '/cosmos/mint/v1beta1/inflation', query: '/cosmos.mint.v1beta1.Query/Inflation', request: {} },
    { rest: '/cosmos/upgrade/v1beta1/module_versions', query: '/cosmos.upgrade.v1beta1.Query/ModuleVersions', request: {} },
    { rest: '/cosmos/gov/v1/params/voting', query: '/cosmos.gov.v1.Query/Params', request: { paramsType: 'voting' } },
    { rest: '/cosmos/gov/v1beta1/params/tallying', query: '/cosmos.gov.v1beta1.Query/Params', request: { paramsType: 'tallying' } },
    { rest: '/cosmos/consensus/v1/params', query: '/cosmos.consensus.v1.Query/Params', request: {} },
    { rest: `/cosmos/feegrant/v1beta1/issued/${alice.address}`, query: '/cosmos.feegrant.v1beta1.Query/AllowancesByGranter', request: { granter: alice.address } },
    { rest: `/cosmos/authz/v1beta1/grants/grantee/${alice.address}`, query: '/cosmos.authz.v1beta1.Query/GranteeGrants', request: { grantee: alice.address } },
    { rest: '/cairn/registry/v1/params', query: '/cairn.registry.v1.Query/Params', request: {} },
    { rest: '/cairn/receipts/v1/params', query: '/cairn.receipts.v1.Query/Params', request: {} },
    { rest: '/cairn/royalty/v1/params', query: '/cairn.royalty.v1.Query/Params', request: {} },
    { rest: '/cairn/emission/v1/status', query: '/cairn.emission.v1.Query/Status', request: {} },
  ];
}

describe('REST and gRPC answer what ABCI Query answers', () => {
  it('every query path the app registers has a route (and so a REST path, a gRPC method and an OpenAPI entry)', () => {
    const routed = new Set(ROUTES.map((r) => r.query));
    const paths = node.app.modules.flatMap((m) => Object.keys(m.queries));
    expect(paths.filter((p) => !routed.has(p))).toEqual([]);
  });

  it('for a sample of every module: REST JSON and gRPC bytes equal the ABCI answer at one height', async () => {
    const height = BigInt(await appHeight(home.rpcUrl));
    for (const s of samples()) {
      const route = routeByQuery(s.query)!;
      const data = route.request.encode(route.request.fromJSON(s.request)).finish();
      const expected = await abci(s.query, data, height);
      const r = await rest(s.rest, { height });
      expect(r.status, `${s.rest}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(r.headers.get('x-cosmos-block-height')).toBe(height.toString());
      expect(r.body, s.rest).toEqual(toGatewayJson(route.response, route.response.decode(expected), route.service));
      const g = await grpcUnary(s.query, data, height);
      expect(Buffer.from(g.value).equals(Buffer.from(expected)), s.query).toBe(true);
      expect(g.metadata.get('x-cosmos-block-height')).toEqual([height.toString()]);
    }
  });

  it('writes the SDK gateway shapes: snake_case, int64 as strings, Any with @type, enums by name', async () => {
    const account = (await rest(`/cosmos/auth/v1beta1/accounts/${alice.address}`)).body['account'] as Record<string, unknown>;
    expect(account['@type']).toBe('/cosmos.auth.v1beta1.BaseAccount');
    expect(account['address']).toBe(alice.address);
    expect(typeof account['account_number']).toBe('string');
    const { validators, pagination } = (await rest('/cosmos/staking/v1beta1/validators')).body as { validators: Record<string, unknown>[]; pagination: { total: string } };
    expect(pagination.total).toBe('1');
    expect(validators[0]!['status']).toBe('BOND_STATUS_BONDED');
    expect((validators[0]!['consensus_pubkey'] as Record<string, unknown>)['@type']).toBe('/cosmos.crypto.ed25519.PubKey');
    // Decs as the SDK writes them, Durations as "600s".
    expect(validators[0]!['delegator_shares']).toBe('100000000.000000000000000000');
    const slashing = (await rest('/cosmos/slashing/v1beta1/params')).body['params'] as Record<string, unknown>;
    expect(slashing['slash_fraction_double_sign']).toMatch(/^0\.\d{18}$/);
    expect(slashing['downtime_jail_duration']).toMatch(/^\d+s$/);
    expect((await rest('/cosmos/mint/v1beta1/inflation')).body['inflation']).toMatch(/^\d+\.\d{18}$/);
  });

  it('serves the tendermint service from CometBFT: node info, syncing, blocks, validator sets', async () => {
    const info = (await rest('/cosmos/base/tendermint/v1beta1/node_info')).body as { default_node_info: { network: string }; application_version: { app_name: string } };
    expect(info.default_node_info.network).toBe(home.chainId);
    expect(info.application_version.app_name).toBe('cairn');
    expect((await rest('/cosmos/base/tendermint/v1beta1/syncing')).body).toEqual({ syncing: false });
    const latest = (await rest('/cosmos/base/tendermint/v1beta1/blocks/latest')).body as { block: { header: { height: string; chain_id: string } }; sdk_block: { header: { proposer_address: string } } };
    expect(Number(latest.block.header.height)).toBeGreaterThanOrEqual(3);
    expect(latest.block.header.chain_id).toBe(home.chainId);
    expect(latest.sdk_block.header.proposer_address).toMatch(/^cairnvalcons1/);
    const two = (await rest('/cosmos/base/tendermint/v1beta1/blocks/2')).body as { block: { header: { height: string } } };
    expect(two.block.header.height).toBe('2');
    const set = (await rest('/cosmos/base/tendermint/v1beta1/validatorsets/latest')).body as { validators: { address: string; voting_power: string; pub_key: Record<string, unknown> }[]; pagination: { total: string } };
    expect(set.validators).toHaveLength(1);
    expect(set.validators[0]!.voting_power).toBe('100');
    expect(set.validators[0]!.pub_key['@type']).toBe('/cosmos.crypto.ed25519.PubKey');
    expect((await rest('/cosmos/base/tendermint/v1beta1/blocks/99999999')).status).toBe(400);
  });

  it('broadcasts a CosmJS-signed tx (sync), finds it by hash and by event, and simulates one', async () => {
    const client = await SigningStargateClient.connectWithSigner(home.rpcUrl, alice.wallet, { gasPrice: GasPrice.fromString('0.025ucairn') });
    try {
      const msg = { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: alice.address, toAddress: bob.address, amount: [{ denom: 'ucairn', amount: '777' }] } };
      const fee = { amount: [{ denom: 'ucairn', amount: '5000' }], gas: '200000' };
      const signed = await client.sign(alice.address, [msg], fee, 'over REST');
      const txBytes = Buffer.from(TxRaw.encode(signed).finish()).toString('base64');

      const sim = await rest('/cosmos/tx/v1beta1/simulate', { method: 'POST', body: JSON.stringify({ tx_bytes: txBytes }) });
      expect(sim.status, JSON.stringify(sim.body)).toBe(200);
      expect(Number((sim.body['gas_info'] as { gas_used: string }).gas_used)).toBeGreaterThan(0);

      const sent = await rest('/cosmos/tx/v1beta1/txs', { method: 'POST', body: JSON.stringify({ tx_bytes: txBytes, mode: 'BROADCAST_MODE_SYNC' }) });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      const txResponse = sent.body['tx_response'] as { code: number; txhash: string };
      expect(txResponse.code).toBe(0);
      expect(txResponse.txhash).toMatch(/^[0-9A-F]{64}$/);

      const deadline = Date.now() + 30_000;
      let found: Awaited<ReturnType<typeof rest>> | undefined;
      while (Date.now() < deadline) {
        found = await rest(`/cosmos/tx/v1beta1/txs/${txResponse.txhash}`);
        if (found.status === 200) break;
        expect(found.status).toBe(404);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(found?.status).toBe(200);
      const got = found!.body as { tx: { body: { messages: Record<string, unknown>[]; memo: string } }; tx_response: { code: number; height: string; timestamp: string } };
      expect(got.tx_response.code).toBe(0);
      expect(got.tx.body.memo).toBe('over REST');
      expect(got.tx.body.messages[0]).toMatchObject({ '@type': '/cosmos.bank.v1beta1.MsgSend', to_address: bob.address });
      expect(got.tx_response.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
      const search = await rest(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(`tx.height=${got.tx_response.height}`)}`);
      expect(search.status, JSON.stringify(search.body)).toBe(200);
      expect((search.body['tx_responses'] as { txhash: string }[]).map((t) => t.txhash)).toContain(txResponse.txhash);
      expect(await client.getBalance(bob.address, 'ucairn')).toEqual({ denom: 'ucairn', amount: '777' });
      // The same bytes again: CometBFT's mempool cache refuses them, and the answer says so.
      const again = await rest('/cosmos/tx/v1beta1/txs', { method: 'POST', body: JSON.stringify({ tx_bytes: txBytes, mode: 'BROADCAST_MODE_SYNC' }) });
      expect(again.status === 200 ? (again.body['tx_response'] as { code: number }).code : again.status).not.toBe(0);
    } finally {
      client.disconnect();
    }
  });

  it('serves the OpenAPI document generated from the route table', async () => {
    const doc = (await rest('/openapi.json')).body as { paths: Record<string, Record<string, { parameters: { name: string; in: string }[] }>> };
    expect(Object.keys(doc.paths)).toHaveLength(new Set(ROUTES.map((r) => r.path)).size);
    expect(doc.paths['/cosmos/bank/v1beta1/balances/{address}']!['get']!.parameters).toEqual(expect.arrayContaining([{ name: 'address', in: 'path', required: true, schema: { type: 'string' } }]));
    expect(doc.paths['/cosmos/tx/v1beta1/txs']!['post']).toBeDefined();
    expect(doc.paths['/cairn/registry/v1/operator']!['get']!.parameters.map((p) => p.name)).toEqual(['address']);
    expect(doc.paths['/cosmos/staking/v1beta1/validators']!['get']!.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['status', 'pagination.limit']));
  });
});

function reflectionCall(request: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const call = grpcClient.makeBidiStreamRequest('/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo', (b: Buffer) => b, (b: Buffer) => b, new grpc.Metadata(), { deadline: Date.now() + 20_000 });
    call.on('data', (b: Buffer) => {
      resolve(new Uint8Array(b));
      call.end();
    });
    call.on('error', reject);
    call.write(Buffer.from(request));
  });
}

/** Length-delimited fields of a message by number. */
function lenFields(bytes: Uint8Array): Map<number, Uint8Array[]> {
  const out = new Map<number, Uint8Array[]>();
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [f, wt] = r.tag();
    if (wt === 2) out.set(f, [...(out.get(f) ?? []), r.bytes()]);
    else r.skipType(wt);
  }
  return out;
}

describe('gRPC server reflection', () => {
  it('lists every service, and describes Cairn’s own services by symbol', async () => {
    const listed = lenFields(await reflectionCall(new BinaryWriter().uint32(58).string('*').finish()));
    const services = (lenFields(listed.get(6)![0]!).get(1) ?? []).map((s) => new TextDecoder().decode(lenFields(s).get(1)![0]));
    expect(services).toEqual(expect.arrayContaining(['cosmos.bank.v1beta1.Query', 'cosmos.staking.v1beta1.Query', 'cosmos.tx.v1beta1.Service', 'cairn.registry.v1.Query', 'grpc.reflection.v1alpha.ServerReflection']));
    expect(services).toHaveLength(new Set(ROUTES.map((r) => r.service)).size + 2);

    const described = lenFields(await reflectionCall(new BinaryWriter().uint32(34).string('cairn.registry.v1.Query').finish()));
    const files = lenFields(described.get(4)![0]!).get(1) ?? [];
    expect(new TextDecoder().decode(lenFields(files[0]!).get(1)![0])).toBe('cairn/registry/v1/query.proto');
    expect(files.length).toBeGreaterThanOrEqual(2); // with the types.proto it imports

    for (const service of new Set(ROUTES.map((r) => r.service).filter((s) => s.startsWith('cairn.')))) {
      const answer = lenFields(await reflectionCall(new BinaryWriter().uint32(34).string(service).finish()));
      expect(answer.has(4), `${service} has a descriptor`).toBe(true);
    }
    const missing = lenFields(await reflectionCall(new BinaryWriter().uint32(34).string('cosmos.bank.v1beta1.Query').finish()));
    expect(new TextDecoder().decode(lenFields(missing.get(7)![0]!).get(2)![0])).toContain('Cairn serves descriptors of its own services only');
  });
});

describe('bad input gets clear errors and the node keeps producing blocks', () => {
  it('REST: unknown routes, wrong methods, malformed JSON, bad addresses, huge pagination, oversized bodies', async () => {
    const unknown = await rest('/cosmos/nothing/v1/here');
    expect(unknown).toMatchObject({ status: 404, body: { code: 5, details: [] } });
    expect(unknown.body['message']).toContain('/openapi.json');
    expect((await rest('/cosmos/bank/v1beta1/params', { method: 'POST', body: '{}' })).status).toBe(405);
    const malformed = await rest('/cosmos/tx/v1beta1/simulate', { method: 'POST', body: '{"tx_bytes": ' });
    expect(malformed).toMatchObject({ status: 400, body: { code: 3 } });
    expect(malformed.body['message']).toContain('malformed JSON');
    const badAddress = await rest('/cosmos/bank/v1beta1/balances/cairn1notanaddress');
    expect(badAddress).toMatchObject({ status: 400, body: { code: 3 } });
    const missing = await rest(`/cosmos/auth/v1beta1/accounts/${toBech32('cairn', new Uint8Array(20).fill(7))}`);
    expect(missing).toMatchObject({ status: 404, body: { code: 5 } });
    expect(missing.body['message']).toContain('rpc error: code = NotFound');
    const huge = await rest('/cosmos/staking/v1beta1/validators?pagination.limit=100000000');
    expect(huge).toMatchObject({ status: 400, body: { code: 3 } });
    expect(huge.body['message']).toContain('above the maximum 1000');
    const badNumber = await rest('/cosmos/staking/v1beta1/validators?pagination.limit=lots');
    expect(badNumber).toMatchObject({ status: 400, body: { code: 3 } });
    const big = await rest('/cosmos/tx/v1beta1/simulate', { method: 'POST', body: JSON.stringify({ tx_bytes: 'A'.repeat(100 * 1024) }) });
    expect(big.status).toBe(413);
    expect((await rest('/cosmos/tx/v1beta1/txs', { method: 'POST', body: JSON.stringify({ tx_bytes: 'AAAA', mode: 'BROADCAST_MODE_BLOCK' }) })).body).toMatchObject({ code: 3 });
    expect((await rest('/cosmos/tx/v1beta1/txs/nothex')).body).toMatchObject({ code: 3 });
    expect((await rest(`/cosmos/tx/v1beta1/txs/${'AB'.repeat(32)}`)).status).toBe(404);
  });

  it('REST: connections beyond max-open-connections get 503, and the server recovers', async () => {
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < MAX_CONNECTIONS; i++) {
        const s = connect(Number(new URL(api).port), '127.0.0.1');
        await new Promise((r, j) => s.once('connect', r).once('error', j));
        sockets.push(s);
      }
      const over = connect(Number(new URL(api).port), '127.0.0.1');
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        over.on('data', (d) => (text += d.toString()));
        over.on('close', () => resolve(text));
        over.on('error', () => resolve(text));
      });
      expect(answer).toContain('503');
      expect(answer).toContain('too many open connections');
    } finally {
      for (const s of sockets) s.destroy();
    }
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) status = (await rest('/cosmos/bank/v1beta1/params').catch(() => ({ status: 0 }))).status;
    expect(status).toBe(200);
  });

  it('gRPC: unknown methods, malformed requests and bad addresses get their status codes', async () => {
    await expect(grpcUnary('/cosmos.bank.v1beta1.Query/Nothing', new Uint8Array())).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    await expect(grpcUnary('/cosmos.bank.v1beta1.Query/AllBalances', Uint8Array.of(0x0a, 0xff, 0xff))).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    const route = routeByQuery('/cosmos.bank.v1beta1.Query/AllBalances')!;
    const bad = route.request.encode(route.request.fromJSON({ address: 'cairn1bad' })).finish();
    await expect(grpcUnary(route.query, bad)).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    const nobody = toBech32('cairn', new Uint8Array(20).fill(7));
    await expect(grpcUnary('/cosmos.auth.v1beta1.Query/Account', route.request.encode(route.request.fromJSON({ address: nobody })).finish())).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  it('REST: a slow client (headers never finished, or a body trickled) is cut off; the server answers others meanwhile', async () => {
    const port = Number(new URL(api).port);
    const closedAfter = (start: (s: Socket) => void): Promise<{ ms: number; text: string }> =>
      new Promise((resolve) => {
        const t0 = Date.now();
        let text = '';
        const s = connect(port, '127.0.0.1', () => start(s));
        s.on('data', (d) => (text += d.toString()));
        s.on('close', () => resolve({ ms: Date.now() - t0, text }));
        s.on('error', () => undefined);
      });
    const noHeaders = closedAfter((s) => s.write('GET /cosmos/bank/v1beta1/params HTTP/1.1\r\nhost: x\r\n'));
    let trickle: NodeJS.Timeout | undefined;
    const slowBody = closedAfter((s) => {
      s.write('POST /cosmos/tx/v1beta1/simulate HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{');
      trickle = setInterval(() => s.writable && s.write(' '), 200);
    });
    expect((await rest('/cosmos/bank/v1beta1/params')).status).toBe(200);
    const [a, b] = await Promise.all([noHeaders, slowBody]);
    clearInterval(trickle);
    // Headers within rpc-read-timeout, the whole request within three times it (Node checks each second).
    expect(a.ms).toBeLessThan((READ_TIMEOUT_S + 3) * 1000);
    expect(a.text).toMatch(/^HTTP\/1\.1 408|^$/);
    expect(b.ms).toBeLessThan((3 * READ_TIMEOUT_S + 3) * 1000);
    expect(b.text).not.toContain('200 OK');
  }, 30_000);

  it('REST: a burst of concurrent requests well past max-open-connections: each is answered 200 or 503, memory stays bounded', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const statuses = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        fetch(`${api}${i % 2 === 0 ? '/cosmos/bank/v1beta1/params' : '/cosmos/staking/v1beta1/validators?pagination.limit=1000'}`, { signal: AbortSignal.timeout(30_000) })
          .then(async (r) => (await r.arrayBuffer(), r.status))
          .catch(() => 0),
      ),
    );
    const counts = new Map<number, number>();
    for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
    // A refused connection may also be reset before fetch reads the 503 (status 0 here).
    expect([...counts.keys()].every((s) => s === 200 || s === 503 || s === 0), JSON.stringify([...counts])).toBe(true);
    expect(counts.get(200) ?? 0).toBeGreaterThanOrEqual(MAX_CONNECTIONS);
    // The node shares this process: 300 answers must not leave hundreds of MB behind.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
    // And it answers again once the burst's connections close (fetch keeps idle ones open a few seconds).
    await eventually('a 200 once the burst has drained', 20_000, async () => ((await rest('/cosmos/bank/v1beta1/params')).status === 200 ? true : undefined));
  }, 60_000);

  it('gRPC: huge pagination limits, oversized messages and a bad height header get their statuses', async () => {
    const validators = routeByQuery('/cosmos.staking.v1beta1.Query/Validators')!;
    const huge = validators.request.encode(validators.request.fromJSON({ pagination: { limit: '100000000' } })).finish();
    await expect(grpcUnary(validators.query, huge)).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining('above the maximum 1000') });
    await expect(grpcUnary('/cosmos.bank.v1beta1.Query/Params', new Uint8Array(100 * 1024))).rejects.toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED });
    await expect(grpcUnary('/cosmos.bank.v1beta1.Query/Params', new Uint8Array(), -1n)).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await expect(grpcUnary('/cosmos.nothing.v1.Query/Params', new Uint8Array())).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
  });

  it('gRPC: many concurrent connections are all answered, and one that never sends a call is closed after max-connection-idle', async () => {
    const clients = Array.from({ length: 40 }, () => new grpc.Client(node.grpc!.address, grpc.credentials.createInsecure()));
    try {
      const route = routeByQuery('/cosmos.bank.v1beta1.Query/AllBalances')!;
      const request = route.request.encode(route.request.fromJSON({ address: alice.address })).finish();
      const answers = await Promise.all(
        clients.flatMap((c) =>
          Array.from(
            { length: 5 },
            () =>
              new Promise<grpc.status>((resolve) => {
                c.makeUnaryRequest(route.query, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(request), new grpc.Metadata(), { deadline: Date.now() + 30_000 }, (err) => resolve(err ? err.code : grpc.status.OK));
              }),
          ),
        ),
      );
      expect(answers.filter((c) => c !== grpc.status.OK)).toEqual([]);
    } finally {
      for (const c of clients) c.close();
    }
    // A client that connects and never calls (nor sends HTTP/2's preface) is sent GOAWAY and closed.
    const t0 = Date.now();
    const silent = connect(Number(grpcPort()), '127.0.0.1');
    silent.on('error', () => undefined);
    // Reading what the server sends (its SETTINGS, then GOAWAY), or the socket never sees the end.
    silent.resume();
    const closedAfter = await new Promise<number>((resolve) => {
      silent.on('close', () => resolve(Date.now() - t0));
      setTimeout(() => resolve(Infinity), (GRPC_IDLE_S + 10) * 1000);
    });
    silent.destroy();
    expect(closedAfter).toBeLessThan((GRPC_IDLE_S + 5) * 1000);
  }, 60_000);

  it('the chain kept producing blocks through all of it', async () => {
    const now = await appHeight(home.rpcUrl);
    expect(await waitForHeight(home.rpcUrl, now + 2, 30_000)).toBeGreaterThanOrEqual(now + 2);
  });
});
