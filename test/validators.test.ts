// A real 4-validator localnet (one app and one CometBFT process per validator): blocks and agreeing
// app hashes; delegation through unmodified CosmJS; a fifth node that joins and becomes a
// validator; a stopped validator jailed for downtime, then back after MsgUnjail; and a validator key
// run by two processes, punished for the duplicate votes. The tests run in order on one network.
import { QueryClient, setupDistributionExtension, setupStakingExtension, type DeliverTxResponse } from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import { MsgCreateValidator } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { MsgUnjail } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAIRN, Localnet } from '../localnet/index.ts';
import { newKey } from '../localnet/create.ts';
import { toBech32 } from '@cosmjs/encoding';
import { QuerySigningInfoRequest, QuerySigningInfoResponse } from 'cosmjs-types/cosmos/slashing/v1beta1/query';
import { QuerySupplyOfRequest, QuerySupplyOfResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { ed25519Any } from '../modules/staking/addresses.ts';
import { valoperOf } from '../modules/staking/genesis-builder.ts';
import { compareAppHashes, eventually, latestHeight, signer, signersOf, type Signer, validatorSet } from './support/localnet.ts';
import { testDir } from './support/test-dirs.ts';

const BLOCK_MS = 400;
let net: Localnet;
let faucet: Signer;
const clients: Signer[] = [];
const timings: Record<string, string> = {};

async function connect(node: string, mnemonic: string): Promise<Signer> {
  const s = await signer(net.rpcUrl(node), mnemonic);
  clients.push(s);
  return s;
}

async function stakingQuery(node: string) {
  const comet = await connectComet(net.rpcUrl(node));
  return { q: QueryClient.withExtensions(comet, setupStakingExtension, setupDistributionExtension), close: () => comet.disconnect() };
}

function ok(r: DeliverTxResponse): DeliverTxResponse {
  expect(r.rawLog ?? '', `tx ${r.transactionHash} failed with code ${r.code}`).toBe('');
  expect(r.code).toBe(0);
  return r;
}

beforeAll(async () => {
  const dir = await testDir('cairn-validators-');
  const started = performance.now();
  net = await Localnet.create({
    dir,
    validators: 4,
    blockTimeMs: BLOCK_MS,
    genesis: {
      staking: { params: { unbonding_blocks: '10' } },
      slashing: { params: { signed_blocks_window: '10', min_signed_bps: '5000', downtime_jail_duration: '2s', downtime_bps: '100', double_sign_bps: '500' } },
    },
  });
  await net.up({ killOnExit: true, timeoutMs: 90_000 });
  timings['localnet up (4 validators, create + start + first block)'] = `${Math.round(performance.now() - started)} ms`;
  faucet = await connect('node0', net.manifest.faucet.mnemonic);
});

afterAll(async () => {
  for (const c of clients) c.client.disconnect();
  await net?.down({ reset: true });
  console.info(`validator timings: ${JSON.stringify(timings, null, 2)}`);
});

describe('a 4-validator localnet', () => {
  it('produces blocks, with every validator in the set and every node agreeing on the app hash', async () => {
    await net.waitForHeight(6, 60_000);
    const set = await validatorSet(net.rpcUrl('node0'));
    expect([...set.keys()].sort()).toEqual(net.nodes.map((n) => n.consensus.address).sort());
    expect([...set.values()]).toEqual([100n, 100n, 100n, 100n]);
    const { compared, disagreements } = await compareAppHashes(net, ['node0', 'node1', 'node2', 'node3']);
    expect(compared).toBeGreaterThanOrEqual(6);
    expect(disagreements).toEqual([]);
  });

  it('lets a holder delegate, collect rewards and undelegate with unmodified CosmJS, supply unchanged', async () => {
    const valoper = valoperOf(net.node('node1').operator!.address);
    const { q, close } = await stakingQuery('node0');
    const supplyBefore = await totalSupply(q);
    const holder = await connect('node0', (await newKey()).mnemonic);
    ok(await faucet.client.sendTokens(faucet.address, holder.address, [{ denom: 'ucairn', amount: (100n * CAIRN).toString() }], 'auto'));

    ok(await holder.client.delegateTokens(holder.address, valoper, { denom: 'ucairn', amount: (50n * CAIRN).toString() }, 'auto'));
    expect(await holder.client.getDelegation(holder.address, valoper)).toEqual({ denom: 'ucairn', amount: (50n * CAIRN).toString() });
    expect(await holder.client.getBalanceStaked(holder.address)).toEqual({ denom: 'ucairn', amount: (50n * CAIRN).toString() });
    expect(await holder.client.getDelegation(holder.address, valoperOf(net.node('node2').operator!.address))).toBeNull();

    // Fees of the txs above are paid out by power; this delegation earns part of node1's share.
    const earned = await eventually('rewards for the delegation', 20_000, async () => {
      const r = await q.distribution.delegationRewards(holder.address, valoper);
      const amount = BigInt(r.rewards.find((c) => c.denom === 'ucairn')?.amount ?? '0');
      return amount > 0n ? amount : undefined;
    });
    expect(earned).toBeGreaterThan(0n);
    const withdrawn = ok(await holder.client.withdrawRewards(holder.address, valoper, 'auto'));
    const paid = withdrawn.events.find((e) => e.type === 'withdraw_rewards')?.attributes.find((a) => a.key === 'amount')?.value ?? '';
    expect(paid).toMatch(/^[1-9][0-9]*ucairn$/);

    const undelegated = ok(await holder.client.undelegateTokens(holder.address, valoper, { denom: 'ucairn', amount: (20n * CAIRN).toString() }, 'auto'));
    expect(await holder.client.getDelegation(holder.address, valoper)).toEqual({ denom: 'ucairn', amount: (30n * CAIRN).toString() });
    const unbonding = await q.staking.unbondingDelegation(holder.address, valoper);
    expect(unbonding.unbond?.entries.map((e) => e.balance)).toEqual([(20n * CAIRN).toString()]);
    const liquid = BigInt((await holder.client.getBalance(holder.address, 'ucairn')).amount);
    // unbonding_blocks is 10 in this genesis: the 20 CAIRN come back about 4 s later.
    await net.waitForHeight(undelegated.height + 11, 30_000, ['node0']);
    expect(BigInt((await holder.client.getBalance(holder.address, 'ucairn')).amount)).toBe(liquid + 20n * CAIRN);
    // Nothing was minted or burned; every node checks all invariants after every block (and halts if one breaks).
    expect(await totalSupply(q)).toBe(supplyBefore);
    close();
  });

  it('accepts a fifth node that syncs, creates a validator, enters the set and signs', async () => {
    const node = await net.addNode();
    const joinStarted = performance.now();
    await net.startNode(node.name, { killOnExit: true });
    const tip = await latestHeight(net.rpcUrl('node0'));
    await net.waitForHeight(tip, 60_000, [node.name]);
    timings['new node synced'] = `${Math.round(performance.now() - joinStarted)} ms to height ${tip}`;

    const operator = await connect(node.name, (await newKey()).mnemonic);
    const funded = ok(await faucet.client.sendTokens(faucet.address, operator.address, [{ denom: 'ucairn', amount: (200n * CAIRN).toString() }], 'auto'));
    // The operator talks to its own node, which may be a block behind node0 (and CometBFT reports a
    // height as soon as the block is stored, before the app has committed it: hence + 1).
    await net.waitForHeight(funded.height + 1, 20_000, [node.name]);
    const msg = {
      typeUrl: MsgCreateValidator.typeUrl,
      value: MsgCreateValidator.fromPartial({
        description: { moniker: node.name },
        commission: { rate: '100000000000000000', maxRate: '200000000000000000', maxChangeRate: '10000000000000000' },
        minSelfDelegation: '1',
        validatorAddress: valoperOf(operator.address),
        pubkey: ed25519Any(Buffer.from(node.consensus.pubKey, 'base64')),
        value: { denom: 'ucairn', amount: (100n * CAIRN).toString() },
      }),
    };
    const sentAt = performance.now();
    const created = ok(await operator.client.signAndBroadcast(operator.address, [msg], 'auto'));
    const inSet = await eventually('the new validator in CometBFT\'s set', 30_000, async () => ((await validatorSet(net.rpcUrl('node0'))).get(node.consensus.address) === 100n ? true : undefined));
    expect(inSet).toBe(true);
    const firstSigned = await eventually('a block signed by the new validator', 30_000, async () => {
      const top = await latestHeight(net.rpcUrl('node0'));
      for (let h = created.height; h < top; h++) if ((await signersOf(net.rpcUrl('node0'), h)).has(node.consensus.address)) return h;
      return undefined;
    });
    timings['new validator signing'] = `tx in block ${created.height}, first signature on block ${firstSigned} (${firstSigned - created.height} blocks, ${Math.round(performance.now() - sentAt)} ms after broadcast)`;
    expect(firstSigned - created.height).toBeLessThanOrEqual(5);
  });

  it('jails a stopped validator for downtime while the others keep producing blocks; after restart and MsgUnjail it signs again', async () => {
    const down = net.node('node3');
    const valoper = valoperOf(down.operator!.address);
    await net.stopNode('node3');
    const stoppedAt = await latestHeight(net.rpcUrl('node0'));
    const { q, close } = await stakingQuery('node0');
    await eventually('node3 jailed', 40_000, async () => ((await q.staking.validator(valoper)).validator?.jailed === true ? true : undefined));
    await eventually('node3 out of CometBFT\'s set', 20_000, async () => ((await validatorSet(net.rpcUrl('node0'))).has(down.consensus.address) ? undefined : true));
    const jailedBy = await latestHeight(net.rpcUrl('node0'));
    expect(jailedBy).toBeGreaterThan(stoppedAt);
    // Slashed downtime_bps (1%) of its 100 CAIRN.
    expect((await q.staking.validator(valoper)).validator?.tokens).toBe((99n * CAIRN).toString());
    await net.waitForHeight(jailedBy + 3, 20_000, ['node0', 'node1', 'node2']);

    await net.startNode('node3', { killOnExit: true });
    await net.waitForHeight(await latestHeight(net.rpcUrl('node0')), 60_000, ['node3']);
    const operator = await connect('node3', down.operator!.mnemonic);
    // The jail lasts 2 s of block time; retry until it is over.
    await eventually('MsgUnjail accepted', 30_000, async () => {
      const r = await operator.client.signAndBroadcast(operator.address, [{ typeUrl: MsgUnjail.typeUrl, value: { validatorAddr: valoper } }], 'auto').catch(() => undefined);
      return r?.code === 0 ? r : undefined;
    }, 500);
    await eventually('node3 back in CometBFT\'s set', 20_000, async () => ((await validatorSet(net.rpcUrl('node0'))).get(down.consensus.address) === 99n ? true : undefined));
    await eventually('a block signed by node3 again', 20_000, async () => {
      const top = await latestHeight(net.rpcUrl('node0'));
      return (await signersOf(net.rpcUrl('node0'), top - 1)).has(down.consensus.address) ? true : undefined;
    });
    close();
  });

  it('slashes and tombstones a validator whose key two processes sign with (duplicate-vote evidence)', async () => {
    const victim = net.node('node2');
    const valoper = valoperOf(victim.operator!.address);
    const clone = await net.addNode({ cloneKeyOf: 'node2' });
    const { q, close } = await stakingQuery('node0');
    const started = performance.now();
    await net.startNode(clone.name, { killOnExit: true });
    try {
      // Bounded: two signers of one key on a 400 ms chain equivocate within a few of its proposals.
      await eventually('node2 tombstoned for double signing', 90_000, async () => {
        const v = (await q.staking.validator(valoper)).validator;
        return v?.jailed === true && BigInt(v.tokens) < 100n * CAIRN ? v : undefined;
      }, 500);
      timings['double sign punished'] = `${Math.round(performance.now() - started)} ms after the second signer started`;
    } finally {
      await net.stopNode(clone.name);
    }
    // 5% of its 100 CAIRN burned, and it is out of the set for good.
    expect((await q.staking.validator(valoper)).validator?.tokens).toBe((95n * CAIRN).toString());
    const consAddress = toBech32('cairnvalcons', Buffer.from(victim.consensus.address, 'hex'));
    const info = QuerySigningInfoResponse.decode(await q.queryAbci('/cosmos.slashing.v1beta1.Query/SigningInfo', QuerySigningInfoRequest.encode({ consAddress }).finish()).then((r) => r.value));
    expect(info.valSigningInfo.tombstoned).toBe(true);
    await eventually('node2 out of CometBFT\'s set', 20_000, async () => ((await validatorSet(net.rpcUrl('node0'))).has(victim.consensus.address) ? undefined : true));
    close();
  });

  it('kept every node on the same app hash at every height of the run', async () => {
    const running = net.nodes.filter((n) => net.isRunning(n.name).cometbft).map((n) => n.name);
    expect(running.length).toBeGreaterThanOrEqual(5);
    const { compared, disagreements } = await compareAppHashes(net, running);
    expect(compared).toBeGreaterThan(30);
    expect(disagreements).toEqual([]);
  });
});

async function totalSupply(q: QueryClient): Promise<bigint> {
  const r = await q.queryAbci('/cosmos.bank.v1beta1.Query/SupplyOf', QuerySupplyOfRequest.encode({ denom: 'ucairn' }).finish());
  return BigInt(QuerySupplyOfResponse.decode(r.value).amount.amount);
}
