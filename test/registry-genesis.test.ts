// Registry genesis: validation names the bad field; export after activity and import into a fresh
// chain reproduce the same registry state, byte for byte.
import { describe, expect, it, beforeAll } from 'vitest';
import { addGenesisAccount } from '../node/genesis.ts';
import * as keys from '../modules/registry/keys.ts';
import { moduleAddress } from '../core/framework/address.ts';
import { TeeType } from '../proto/gen/cairn/registry/v1/types.ts';
import { AppChain, checkAppState } from './support/app-chain.ts';
import { MIN_BOND, RegistryChain, attestation, ed25519Key, gpu, msgs, registryAppState } from './support/registry.ts';

type Json = Record<string, any>;

async function exportRegistry(chain: AppChain): Promise<Json> {
  const module = chain.app.modules.find((m) => m.name === 'registry')!;
  return (await module.genesis.export({ store: chain.store.committed, height: chain.height, addresses: chain.app.addresses })) as Json;
}

async function registryState(chain: AppChain): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const [k, v] of chain.store.committed.iterate({ prefix: keys.STATE_PREFIX })) {
    if (!Buffer.from(k).equals(Buffer.from(keys.blockTime.key))) out.push([Buffer.from(k).toString('hex'), Buffer.from(v).toString('hex')]);
  }
  return out;
}

/** A chain where every kind of registry record exists. */
async function busyChain(): Promise<RegistryChain> {
  const rc = await RegistryChain.start({ params: { operator_unbonding_blocks: '30' } });
  const [a, b, author, payer] = rc.wallets as [any, any, any, any];
  await rc.ok(a, msgs.registerOperator(a.address, 1, { bond: { denom: 'ucairn', amount: (MIN_BOND * 3n).toString() } }));
  await rc.ok(b, msgs.registerOperator(b.address, 2, { region: 'us-east' }));
  await rc.ok(a, msgs.commitGpus(a.address, [gpu('g0'), gpu('g1', { teeTypes: [TeeType.TEE_TYPE_NONE], reservable: false })]));
  await rc.ok(b, msgs.commitGpus(b.address, [gpu('g0', { model: 'A100-40GB', vramGb: 40 })]));
  await rc.ok(a, msgs.beginUnbond(a.address, MIN_BOND));
  await rc.ok(a, msgs.rotateReceiptKey(a.address, ed25519Key(3).publicKey));
  await rc.ok(author, [
    msgs.registerModel(author.address, 'base-v1'),
    msgs.registerModel(author.address, 'base-v2', { previousVersion: 'base-v1' }),
    msgs.registerAdapter(author.address, 'base-v2/lora', 'base-v2', { recipients: [{ address: author.address, weightBps: 6000 }, { address: b.address, weightBps: 4000 }] }),
    msgs.registerModel(author.address, 'old', { royaltyBps: 0, recipients: [] }),
  ]);
  await rc.ok(author, msgs.deprecateModel(author.address, 'old'));
  await rc.ok(a, [msgs.serveModel(a.address, 'base-v2', 3n), msgs.serveModel(a.address, 'base-v2/lora', 4n)]);
  await rc.ok(b, msgs.serveModel(b.address, 'base-v2', 2n));
  await rc.ok(payer, [msgs.authorizePayerKey(payer.address, ed25519Key(50).publicKey), msgs.authorizePayerKey(payer.address, ed25519Key(51).publicKey, '')]);
  await rc.ok(payer, msgs.revokePayerKey(payer.address, ed25519Key(51).publicKey));
  const raw = rc.chain.app.addresses.decode(a.address);
  const now = rc.nextBlockTime;
  await rc.ok(a, msgs.submitAttestation(attestation(raw, a.address, 'g0', { issuedAt: now - 5n, expiresAt: now + 5000n })));
  await rc.ok(a, msgs.submitAttestation(attestation(raw, a.address, 'g0', { issuedAt: now, expiresAt: now + 9000n })));
  await rc.ok(a, msgs.submitAttestation(attestation(raw, a.address, 'g1', { teeType: TeeType.TEE_TYPE_NONE, issuedAt: now, expiresAt: now + 9000n })));
  return rc;
}

/** A fresh genesis holding `registry` and a bonds account that backs it. */
function importState(rc: RegistryChain, registry: Json): Json {
  let state = registryAppState(rc.wallets.map((w) => w.address), { operator_unbonding_blocks: '30' });
  let owed = 0n;
  for (const o of registry['operators']) {
    owed += BigInt(o.operator.bond.amount);
    for (const u of o.unbonding) owed += BigInt(u.amount.amount);
  }
  state = addGenesisAccount(state, rc.chain.app.addresses.encode(moduleAddress(keys.BONDS_ACCOUNT)), [{ denom: 'ucairn', amount: owed }]);
  return { ...state, registry: structuredClone(registry) };
}

let busy: RegistryChain;
let exported: Json;

beforeAll(async () => {
  busy = await busyChain();
  exported = await exportRegistry(busy.chain);
});

describe('registry genesis export and import', () => {
  it('exports every record of a busy chain', () => {
    expect(exported['operators']).toHaveLength(2);
    const a = exported['operators'][0].operator.address === busy.wallets[0]!.address ? exported['operators'][0] : exported['operators'][1];
    expect(a.gpus.map((g: Json) => g.id)).toEqual(['g0', 'g1']);
    expect(a.unbonding).toHaveLength(1);
    expect(a.retired_receipt_keys).toHaveLength(1);
    expect(a.serves).toHaveLength(2);
    expect(a.current_attestations).toHaveLength(2);
    expect(exported['attestations']).toHaveLength(3);
    expect(exported['models'].map((m: Json) => m.id)).toEqual(['base-v1', 'base-v2', 'base-v2/lora', 'old']);
    expect(exported['payer_keys']).toHaveLength(2);
    expect(exported['next_unbonding_id']).toBe('2');
    expect(exported['params'].authority).toMatch(/^cairn1/);
  });

  it('imports into a fresh chain with the same registry state, and exports the same JSON again', async () => {
    const fresh = await AppChain.start({ appState: importState(busy, exported) });
    await fresh.block();
    expect(await exportRegistry(fresh)).toEqual(exported);
    expect(await registryState(fresh)).toEqual(await registryState(busy.chain));
  });

  it('gives two chains imported from the same genesis the same app hash', async () => {
    const state = importState(busy, exported);
    const [x, y] = [await AppChain.start({ appState: state }), await AppChain.start({ appState: structuredClone(state) })];
    expect(x.initChain!.appHash).toEqual(y.initChain!.appHash);
    await x.block();
    await y.block();
    expect(x.appHashes).toEqual(y.appHashes);
  });

  it('keeps working after import: the unbonding entry is paid out and the catalog answers', async () => {
    const fresh = await AppChain.start({ appState: importState(busy, exported) });
    const a = busy.wallets[0]!.address;
    const entry = exported['operators'].find((o: Json) => o.operator.address === a).unbonding[0];
    while (fresh.height < BigInt(entry.completion_height)) await fresh.block();
    const after = await exportRegistry(fresh);
    expect(after['operators'].find((o: Json) => o.operator.address === a).unbonding).toEqual([]);
  });
});

describe('registry genesis validation', () => {
  async function refuse(mutate: (registry: Json) => void, message: RegExp): Promise<void> {
    const state = importState(busy, exported);
    mutate(state['registry']);
    await expect(checkAppState(state)).rejects.toThrow(message);
  }

  it('accepts the default section and fills in the gov authority', async () => {
    await expect(checkAppState(registryAppState([]))).resolves.toBeDefined();
    await expect(checkAppState(importState(busy, exported))).resolves.toBeDefined();
  });

  it('names the bad field', async () => {
    await refuse((r) => (r['params'].max_royalty_bps = 20_000), /max_royalty_bps 20000 must be between 0 and 10000/);
    await refuse((r) => (r['params'].surprise = 1), /registry\.params\.surprise: unknown field/);
    await refuse((r) => (r['operators'][0].operator.endpoints = ['http://x.example']), /registry\.operators\[0\]\.operator: .*not https/);
    await refuse((r) => (r['operators'][0].operator.status = 'ACTIVE'), /registry\.operators\[0\]\.operator\.status: "ACTIVE" is not one of/);
    await refuse((r) => (r['operators'][1].operator.receipt_key = r['operators'][0].operator.receipt_key), /receipt key used twice/);
    await refuse((r) => (r['operators'][0].operator.bond.amount = '-1'), /registry\.operators\[0\]\.operator\.bond\.amount/);
    await refuse((r) => (r['models'][2].base_model_id = 'missing'), /registry\.models\[2\]\.base_model_id: missing is not in registry\.models/);
    await refuse((r) => (r['models'][0].license = 'apache'), /registry\.models\[0\]: .*invalid SPDX license id/);
    await refuse((r) => (r['models'][1].version = '5'), /registry\.models\[1\]\.version/);
    await refuse((r) => (r['models'][0].next_version = ''), /previous_version/);
    await refuse((r) => (r['payer_keys'][0].key = 'AAAA'), /registry\.payer_keys\[0\]\.key/);
    await refuse((r) => (r['attestations'][0].expires_at = r['attestations'][0].issued_at), /registry\.attestations\[0\]\.expires_at/);
    await refuse((r) => (r['next_unbonding_id'] = '1'), /next_unbonding_id - 1/);
  });

  it('makes InitChain fail when the bonds account does not hold exactly the bonds, and the genesis check first', async () => {
    const state = registryAppState(busy.wallets.map((w) => w.address));
    state['registry'] = structuredClone(exported);
    await expect(checkAppState(state)).rejects.toThrow(/registry_bonds account holds 0ucairn but bonds and unbonding entries add up to/);
    await expect(AppChain.start({ appState: state })).rejects.toThrow(/registry_bonds account holds 0ucairn but bonds and unbonding entries add up to/);
  });
});
