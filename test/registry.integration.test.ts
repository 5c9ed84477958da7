// The registry on a real single-validator CometBFT chain: an operator registers and commits GPUs,
// an author registers a model and an adapter, the operator serves them, a payer authorises a key,
// and an unmodified CosmJS client reads the filtered catalog back over ABCI queries. The same
// flows run through `cairn tx registry …` / `cairn query registry …`.
import { fromBech32 } from '@cosmjs/encoding';
import { Registry } from '@cosmjs/proto-signing';
import { GasPrice, QueryClient, SigningStargateClient, createProtobufRpcClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeHome } from '../cli/commands/init.ts';
import { Keyring } from '../sdk/keyring/keyring.ts';
import { runCli } from '../cli/main.ts';
import { memoryIo } from './support/cli-io.ts';
import { addGenesisAccount } from '../node/genesis.ts';
import { registryTypes } from '../sdk/registry/messages.ts';
import { waitForHeight } from '../node/cometbft/rpc.ts';
import { freePorts } from '../node/cometbft/ports.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import * as q from '../proto/gen/cairn/registry/v1/query.ts';
import { ModelKind, TeeType, TrustLevel } from '../proto/gen/cairn/registry/v1/types.ts';
import { TEST_OPERATOR, TEST_SELF_BOND } from './support/node-home.ts';
import { MIN_BOND, attestation, contentHash, ed25519Key, gpu, msgs, registryAppState } from './support/registry.ts';
import { MNEMONICS, type TestWallet, testWallet } from './support/wallets.ts';
import { testDir } from './support/test-dirs.ts';

const CHAIN_ID = 'cairn-registry-it-1';
let node: RunningNode;
let rpcUrl: string;
let comet: CometClient;
let wallets: TestWallet[];
const clients: SigningStargateClient[] = [];
let keyringDir: string;

const typeRegistry = new Registry([...defaultRegistryTypes, ...registryTypes]);

async function signer(i: number): Promise<SigningStargateClient> {
  const client = await SigningStargateClient.connectWithSigner(rpcUrl, wallets[i]!.wallet, {
    registry: typeRegistry,
    gasPrice: GasPrice.fromString('0.025ucairn'),
    broadcastPollIntervalMs: 200,
  });
  clients.push(client);
  return client;
}

async function query<Req, Res>(method: string, req: { encode(m: Req): { finish(): Uint8Array } }, res: { decode(b: Uint8Array): Res }, value: Req): Promise<Res> {
  const rpc = createProtobufRpcClient(new QueryClient(comet));
  return res.decode(await rpc.request('cairn.registry.v1.Query', method, req.encode(value).finish()));
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(['--node', rpcUrl, '--keyring-backend', 'test', '--keyring-dir', keyringDir, ...argv], io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

beforeAll(async () => {
  wallets = await Promise.all([0, 1, 2, 3].map((i) => testWallet(i)));
  const home = await testDir('cairn-registry-it-');
  keyringDir = await testDir('cairn-registry-keys-');
  const [rpc, p2p, abci] = (await freePorts(3)) as [number, number, number];
  const appState = addGenesisAccount(registryAppState(wallets.map((w) => w.address)), TEST_OPERATOR, [{ denom: 'ucairn', amount: TEST_SELF_BOND }]);
  await initNodeHome({
    home,
    chainId: CHAIN_ID,
    moniker: 'registry-it',
    overwriteGenesis: true,
    appState,
    ports: { rpc, p2p, abci },
    blockTimeMs: 300,
    appConfig: { checkInvariants: true, pruningKeepRecent: 0 },
    validator: { operator: TEST_OPERATOR, selfBond: TEST_SELF_BOND },
  });
  rpcUrl = `http://127.0.0.1:${rpc}`;
  node = await startNode({ home, logger: silentLogger, withCometbft: true });
  await waitForHeight(rpcUrl, 2, 30_000);
  comet = await connectComet(rpcUrl);
  const keyring = new Keyring({ dir: keyringDir, backend: 'test' });
  await keyring.import('bob', MNEMONICS[1]);
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  comet?.disconnect();
  await node?.stop();
});

describe('the registry on a real chain, through CosmJS', () => {
  it('lists an operator serving an adapter, and finds it again through every catalog filter', async () => {
    const [op, author, payer] = [wallets[0]!, wallets[2]!, wallets[3]!];
    const [opClient, authorClient, payerClient] = await Promise.all([signer(0), signer(2), signer(3)]);

    const registered = await opClient.signAndBroadcast(
      op.address,
      [msgs.registerOperator(op.address, 1, { moniker: 'eu-farm' }), msgs.commitGpus(op.address, [gpu('g0', { pricePerHour: { denom: 'ucairn', amount: '1500000' } })])],
      'auto',
    );
    expect(registered.code, registered.rawLog).toBe(0);
    expect(registered.events.some((e) => e.type === 'register_operator')).toBe(true);

    const models = await authorClient.signAndBroadcast(
      author.address,
      [msgs.registerModel(author.address, 'acme/base'), msgs.registerAdapter(author.address, 'acme/legal-lora', 'acme/base', { royaltyBps: 800 })],
      'auto',
    );
    expect(models.code, models.rawLog).toBe(0);

    const block = await comet.block();
    const now = BigInt(Math.floor(block.block.header.time.getTime() / 1000));
    const signed = attestation(fromBech32(op.address, 90).data, op.address, 'g0', { issuedAt: now - 60n, expiresAt: now + 3600n, chainId: CHAIN_ID });
    const served = await opClient.signAndBroadcast(
      op.address,
      [msgs.serveModel(op.address, 'acme/base', 1n), msgs.serveModel(op.address, 'acme/legal-lora', 3n), msgs.submitAttestation(signed)],
      'auto',
    );
    expect(served.code, served.rawLog).toBe(0);

    const authorized = await payerClient.signAndBroadcast(payer.address, [msgs.authorizePayerKey(payer.address, ed25519Key(70).publicKey, 'gateway')], 'auto');
    expect(authorized.code, authorized.rawLog).toBe(0);

    const found = await query('Operators', q.QueryOperatorsRequest, q.QueryOperatorsResponse, q.QueryOperatorsRequest.fromPartial({
      region: 'eu-west',
      gpuModel: 'H100-80GB',
      teeType: TeeType.TEE_TYPE_SEV_SNP,
      servedModel: 'acme/legal-lora',
      sortBy: q.SortBy.SORT_BY_PRICE,
    }));
    expect(found.operators.map((e) => [e.operator!.address, e.operator!.moniker, e.price?.amount, e.trustLevel])).toEqual([
      [op.address, 'eu-farm', '3', TrustLevel.TRUST_LEVEL_VERIFIED_TEE],
    ]);
    expect((await query('Operators', q.QueryOperatorsRequest, q.QueryOperatorsResponse, q.QueryOperatorsRequest.fromPartial({ region: 'us-east' }))).operators).toEqual([]);

    const adapters = await query('Adapters', q.QueryAdaptersRequest, q.QueryAdaptersResponse, q.QueryAdaptersRequest.fromPartial({ baseModelId: 'acme/base' }));
    expect(adapters.adapters.map((m) => [m.id, m.kind, m.royaltyBps, m.contentHash])).toEqual([['acme/legal-lora', ModelKind.MODEL_KIND_ADAPTER, 800, contentHash('acme/legal-lora')]]);
    const servers = await query('ModelServers', q.QueryModelServersRequest, q.QueryModelServersResponse, { modelId: 'acme/legal-lora', pagination: undefined });
    expect(servers.servers.map((s) => [s.offer!.operator, s.offer!.pricePerUnit!.amount, s.endpoints])).toEqual([[op.address, '3', ['https://gpu.example.com/v1']]]);
    const keys = await query('PayerKeys', q.QueryPayerKeysRequest, q.QueryPayerKeysResponse, { payer: payer.address, includeRevoked: false, pagination: undefined });
    expect(keys.keys.map((k) => [Buffer.from(k.key).toString('hex'), k.label])).toEqual([[Buffer.from(ed25519Key(70).publicKey).toString('hex'), 'gateway']]);
    const operator = await query('Operator', q.QueryOperatorRequest, q.QueryOperatorResponse, { address: op.address });
    expect(operator.operator!.bond).toEqual({ denom: 'ucairn', amount: MIN_BOND.toString() });
  });

  it('gets the registry error code and codespace back for bad input, with nothing changed', async () => {
    const client = await signer(2);
    const author = wallets[2]!.address;
    const r = await client.signAndBroadcast(author, [msgs.registerAdapter(author, 'orphan', 'no-such-base')], { amount: [{ denom: 'ucairn', amount: '10000' }], gas: '400000' });
    expect(r.code).toBe(30);
    expect(r.rawLog).toMatch(/no-such-base: base model not found/);
    await expect(query('Model', q.QueryModelRequest, q.QueryModelResponse, { id: 'orphan' })).rejects.toThrow(/NotFound/);
  });
});

describe('the registry through the cairn CLI', () => {
  it('registers an operator, commits GPUs and serves a model with `cairn tx registry`, then finds it with `cairn query registry`', async () => {
    const bob = wallets[1]!.address;
    const key = Buffer.from(ed25519Key(11).publicKey).toString('hex');
    const fees = ['--gas', '400000', '--fees', '10000ucairn'];
    let r = await cli('tx', 'registry', 'register-operator', 'bob', '--moniker', 'cli-farm', '--endpoint', 'https://cli.example.com', '--region', 'us-east', '--receipt-key', key, '--bond', `${MIN_BOND}ucairn`, ...fees);
    expect(r.code, r.out + r.err).toBe(0);
    r = await cli('tx', 'registry', 'commit-gpus', 'bob', '--gpu', 'id=a,model=RTX-4090,vram-gb=24,count=2,tier=consumer,tee=none,price=400000ucairn,reservable', ...fees);
    expect(r.code, r.out + r.err).toBe(0);
    r = await cli('tx', 'registry', 'serve-model', 'bob', 'acme/base', '2ucairn', ...fees);
    expect(r.code, r.out + r.err).toBe(0);

    r = await cli('query', 'registry', 'operators', '--region', 'us-east', '--output', 'json');
    expect(r.code, r.err).toBe(0);
    const listed = JSON.parse(r.out) as { operators: { operator: { address: string; moniker: string }; gpus: { tier: string; pricePerHour: string }[] }[] };
    expect(listed.operators.map((e) => [e.operator.address, e.operator.moniker, e.gpus[0]!.tier, e.gpus[0]!.pricePerHour])).toEqual([[bob, 'cli-farm', 'consumer', '400000ucairn']]);

    r = await cli('query', 'registry', 'model-servers', 'acme/base');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/cli-farm\s+cairn1\S+\s+2ucairn\s+us-east/);
    // cheapest first: eu-farm serves acme/base at 1ucairn
    expect(r.out.indexOf('eu-farm')).toBeLessThan(r.out.indexOf('cli-farm'));

    r = await cli('tx', 'registry', 'serve-model', 'bob', 'no-such-model', '2ucairn', ...fees);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/codespace:\s+registry/);
    expect(r.out).toMatch(/no-such-model: model not found/);
  });
});
