// What a validator sees when a genesis or a home is wrong: `cairn genesis validate` and `cairn start`
// (and `cairn dev`, `cairn init`) refuse with the same one-line message, exit non-zero, and leave
// nothing behind: no CometBFT process, no chain data, no half-written home.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:net';
import { join } from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.ts';
import { initNodeHome } from '../cli/commands/init.ts';
import { moduleAddress } from '../core/framework/address.ts';
import { NOT_BONDED_POOL } from '../modules/staking/keys.ts';
import { type GenesisDoc, genesisPath, readGenesis, serializeGenesis } from '../node/cometbft/genesis.ts';
import { freePorts } from '../node/cometbft/ports.ts';
import { DEV_MNEMONIC, addGenesisAccount, defaultAppState } from '../node/genesis.ts';
import { Keyring } from '../sdk/keyring/keyring.ts';
import { memoryIo } from './support/cli-io.ts';
import { createTestHome } from './support/node-home.ts';
import { testDir } from './support/test-dirs.ts';

const ALICE = 'cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9';
const BOB = 'cairn1a0ks2pc0wzy5s395jdsy74raazf6eq8ce9c03l';
type Json = Record<string, any>;

async function cairn(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

/** Nothing of a chain run exists: CometBFT was never spawned (it would have written its log first) and no database was made. */
function expectNothingStarted(home: string): void {
  for (const f of ['cometbft.log', 'data/application.db', 'data/blockstore.db', 'data/state.db']) expect(existsSync(join(home, f)), f).toBe(false);
}

/** Every file under `dir` with a hash of its content, to show that a refused command changed nothing. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    out[name] = (await stat(path)).isDirectory() ? 'dir' : createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return out;
}

function oneLine(stderr: string): string {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  return stderr.trimEnd();
}

describe('a bad genesis is refused by `cairn genesis validate` and by `cairn start`, with the same message', () => {
  let home: string;
  let good: GenesisDoc;
  let path: string;

  beforeAll(async () => {
    home = (await createTestHome([{ address: ALICE, amount: 1_000_000n }])).home;
    path = genesisPath(home);
    good = await readGenesis(home);
  });

  async function refusedByBoth(text: string, reason: RegExp): Promise<void> {
    await writeFile(path, text);
    const validate = await cairn('genesis', 'validate', '--home', home);
    expect(validate.code).toBe(1);
    const message = oneLine(validate.stderr);
    expect(message).toMatch(reason);
    expect(message.startsWith(`Error: ${path} is not a valid genesis: `)).toBe(true);
    const start = await cairn('start', '--home', home);
    expect(start.code).toBe(1);
    expect(oneLine(start.stderr)).toContain(message.slice('Error: '.length));
    expect(start.stderr).toContain(`cairn genesis validate --home ${home}`);
    expectNothingStarted(home);
  }

  function edited(edit: (appState: Json, doc: Json) => void): string {
    const doc = structuredClone(good) as Json;
    edit(doc['app_state'], doc);
    return serializeGenesis(doc as GenesisDoc);
  }

  it('accepts the good genesis and names its validator count', async () => {
    await writeFile(path, serializeGenesis(good));
    const run = await cairn('genesis', 'validate', '--home', home);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/is a valid genesis for chain cairn-it-1 \(1 validator\)/);
  });

  it('a supply above the emission max_supply (an InitChain check, not a field check)', async () => {
    const text = edited((s, doc) => Object.assign(doc, { app_state: addGenesisAccount(s, BOB, [{ denom: 'ucairn', amount: 21_000_000_000_000n }]) }));
    await refusedByBoth(text, /emission: genesis supply 21000101000000ucairn exceeds max_supply 21000000000000$/);
  });

  it('a bad address', async () => {
    await refusedByBoth(edited((s) => (s['auth'].accounts[0].address = 'cairn1qqqq')), /auth\.accounts\[0\]\.address/);
  });

  it('a duplicate account', async () => {
    await refusedByBoth(edited((s) => s['auth'].accounts.push({ ...s['auth'].accounts[0], account_number: '99' })), /auth\.accounts\[\d\]\.address: duplicate account cairn1/);
  });

  it('a validator whose tokens no balance backs', async () => {
    const pool = toBech32('cairn', moduleAddress(NOT_BONDED_POOL));
    const text = edited((s) => {
      const entry = s['bank'].balances.find((b: Json) => b.address === pool);
      s['bank'].balances = s['bank'].balances.filter((b: Json) => b !== entry);
      const supply = s['bank'].supply.find((c: Json) => c.denom === 'ucairn');
      supply.amount = (BigInt(supply.amount) - BigInt(entry.coins[0].amount)).toString();
    });
    await refusedByBoth(text, /staking: not_bonded_tokens_pool holds 0ucairn but unbonded validators and unbonding entries have 100000000: .*cairn genesis add-validator/);
  });

  it('royalty recipients whose weights do not add up to 10000', async () => {
    const model = (weights: number[]): Json => ({
      id: 'llama-8b',
      kind: 'MODEL_KIND_BASE',
      base_model_id: '',
      author: ALICE,
      content_hash: `sha256:${'ab'.repeat(32)}`,
      license: 'Apache-2.0',
      evals: [],
      royalty_bps: 500,
      recipients: weights.map((w, i) => ({ address: [ALICE, BOB][i], weight_bps: w })),
      previous_version: '',
      next_version: '',
      version: '1',
      family: 'llama-8b',
      deprecated: false,
      registered_height: '0',
      updated_height: '0',
      deprecated_height: '0',
    });
    // The same model with weights 6000 + 4000 is accepted, so the refusal below is about the sum.
    await writeFile(path, edited((s) => (s['registry'].models = [model([6000, 4000])])));
    expect((await cairn('genesis', 'validate', '--home', home)).code).toBe(0);
    await refusedByBoth(edited((s) => (s['registry'].models = [model([6000, 3000])])), /registry\.models\[0\]: .*recipient weights add up to 9000, not 10000/);
  });

  it('a file that is not JSON, or is cut short', async () => {
    await refusedByBoth('chain_id = "cairn-it-1"\n', /is not a valid genesis: not JSON \(.*\): a truncated or hand-edited file\?/);
    const full = serializeGenesis(good);
    await refusedByBoth(full.slice(0, full.length / 2), /is not a valid genesis: not JSON \(.*\): a truncated or hand-edited file\?/);
  });

  it('an unknown module section, named with the modules there are', async () => {
    await refusedByBoth(edited((s) => (s['governance'] = {})), /app_state has an unknown module section "governance": remove it or fix its name \(the modules are auth, bank, staking, .*\)$/);
  });

  it('CometBFT-level faults: no chain id, a bad initial height, no validator, a validator list staking does not bond', async () => {
    await refusedByBoth(edited((_, doc) => (doc['chain_id'] = '')), /chain_id: chain id must have 1 to 50 characters, got 0/);
    await refusedByBoth(edited((_, doc) => (doc['initial_height'] = 'one')), /initial_height must be a whole number in a string/);
    await refusedByBoth(
      edited((s) => {
        s['staking'] = defaultAppState()['staking'];
        s['bank'] = addGenesisAccount(defaultAppState(), ALICE, [{ denom: 'ucairn', amount: 1_000_000n }])['bank'];
        s['auth'] = addGenesisAccount(defaultAppState(), ALICE, [{ denom: 'ucairn', amount: 1_000_000n }])['auth'];
      }),
      /it has no validator: fund an operator with `cairn genesis add-account` and bond it with `cairn genesis add-validator`/,
    );
    const stranger = { address: '992E2C188A177C58C6B05C5EFED80B3990348D08', pub_key: { type: 'tendermint/PubKeyEd25519', value: 'g7GMarg2vARB//jTVSCcn4E8IeBLLjdh70nWAJpZdHA=' }, power: '10', name: 'x' };
    await refusedByBoth(edited((_, doc) => (doc['validators'] = [stranger])), /the genesis "validators" list differs from the staking section: it lists g7GM.* with power 10, which staking does not bond/);
  });
});

describe('a port already in use', () => {
  const squatters: Server[] = [];
  afterAll(async () => {
    for (const s of squatters) await new Promise((r) => s.close(r));
  });

  async function squat(port: number): Promise<void> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    squatters.push(server);
  }

  it('`cairn start` names the port, where it is set and what to do, and starts nothing', async () => {
    const home = await createTestHome([]);
    const rpcPort = Number(new URL(home.rpcUrl).port);
    await squat(rpcPort);
    const run = await cairn('start', '--home', home.home);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toMatch(
      new RegExp(`^Error: the node did not start: 127\\.0\\.0\\.1:${rpcPort} \\(CometBFT RPC, \\[rpc\\] laddr in .*config\\.toml\\) is already in use: stop the program holding it .* or set another port there$`),
    );
    expectNothingStarted(home.home);

    const abciPort = Number(home.abciAddress.split(':').pop());
    await squat(abciPort);
    const again = await cairn('start', '--home', home.home, '--abci-only');
    expect(oneLine(again.stderr)).toMatch(new RegExp(`127\\.0\\.0\\.1:${abciPort} \\(the ABCI server, \\[abci\\] address in .*app\\.toml\\) is already in use`));
    expectNothingStarted(home.home);
  });

  it('`cairn dev` on its home too', async () => {
    const home = await testDir('cairn-dev-port-');
    const dev = (await new Keyring({ dir: home, backend: 'test' }).add('dev', { mnemonic: DEV_MNEMONIC })).key;
    const [rpc, p2p, abci] = (await freePorts(3)) as [number, number, number];
    await initNodeHome({
      home,
      chainId: 'cairn-dev-1',
      moniker: 'dev',
      overwriteGenesis: true,
      appState: addGenesisAccount(defaultAppState(), dev.address, [{ denom: 'ucairn', amount: 10_000_000n }]),
      ports: { rpc, p2p, abci },
      validator: { operator: dev.address, selfBond: 1_000_000n },
    });
    await squat(p2p);
    const run = await cairn('dev', '--home', home);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toMatch(new RegExp(`127\\.0\\.0\\.1:${p2p} \\(CometBFT P2P, \\[p2p\\] laddr in .*\\) is already in use: .*, or run \`cairn dev --port-offset 100\``));
    expectNothingStarted(home);
  });
});

describe('`cairn init` on a home that holds another chain', () => {
  let home: string;
  beforeAll(async () => {
    home = join(await testDir('cairn-init-other-'), 'home');
    expect((await cairn('init', 'n1', '--chain-id', 'cairn-a-1', '--home', home)).code).toBe(0);
  });

  it('refuses, says how to proceed, and changes nothing', async () => {
    const before = await snapshot(home);
    const run = await cairn('init', 'n1', '--chain-id', 'cairn-b-1', '--home', home);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toBe(`Error: ${home} already holds chain cairn-a-1, not cairn-b-1: use another --home for cairn-b-1, or \`cairn init --overwrite\` to replace its genesis (keys are kept)`);
    expect(await snapshot(home)).toEqual(before);
  });

  it('replaces the genesis with --overwrite while the home has not run, keeping the keys', async () => {
    const key = await readFile(join(home, 'config', 'priv_validator_key.json'), 'utf8');
    expect((await cairn('init', 'n1', '--chain-id', 'cairn-b-1', '--home', home, '--overwrite')).code).toBe(0);
    expect((await readGenesis(home)).chain_id).toBe('cairn-b-1');
    expect(await readFile(join(home, 'config', 'priv_validator_key.json'), 'utf8')).toBe(key);
  });

  it('refuses --overwrite once the home has chain data, and changes nothing', async () => {
    await mkdir(join(home, 'data', 'blockstore.db'));
    const before = await snapshot(home);
    const run = await cairn('init', 'n1', '--chain-id', 'cairn-c-1', '--home', home, '--overwrite');
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toMatch(/has already run chain cairn-b-1 \(its blocks are in .*data\): a new genesis cannot follow them\. Use another --home$/);
    expect(await snapshot(home)).toEqual(before);
  });

  it('leaves no directory behind when a new home is refused', async () => {
    const fresh = join(await testDir('cairn-init-bad-'), 'home');
    const run = await cairn('init', 'bad\u0007name', '--chain-id', 'cairn-x-1', '--home', fresh);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toMatch(/moniker must be non-empty printable ASCII/);
    expect(existsSync(fresh)).toBe(false);
  });
});
