// A chain of another prefix and other denoms, made the way an operator makes one: `cairn init
// --bech32-prefix demo --default-denom udemo --bond-denom ustake`, `cairn genesis add-account` and
// `add-validator`, then a real node (CometBFT + the app) that produces blocks, and CosmJS with the
// demo prefix sending udemo and delegating ustake.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GasPrice, QueryClient, SigningStargateClient, setupStakingExtension } from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.ts';
import { setNodePorts } from '../cli/commands/init.ts';
import { appHeight, waitForHeight } from '../node/cometbft/rpc.ts';
import { readGenesis } from '../node/cometbft/genesis.ts';
import { freePorts } from '../node/cometbft/ports.ts';
import { readAppConfig } from '../node/config.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { memoryIo } from './support/cli-io.ts';
import { MNEMONICS, type TestWallet, testWallet } from './support/wallets.ts';
import { testDir } from './support/test-dirs.ts';

const CHAIN_ID = 'demo-1';
let home: string;
let node: RunningNode | undefined;
let alice: TestWallet;
let bob: TestWallet;
let initOutput: { watcherAddress: string };

async function cairn(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = memoryIo(stdin === undefined ? {} : { stdin });
  const code = await runCli([...args, '--home', home, '--keyring-backend', 'test'], io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

beforeAll(async () => {
  [alice, bob] = await Promise.all([testWallet(0, 'demo'), testWallet(1, 'demo')]);
  home = await testDir('cairn-demo-');
  const init = await cairn(['init', 'demo-node', '--chain-id', CHAIN_ID, '--bech32-prefix', 'demo', '--default-denom', 'udemo', '--bond-denom', 'ustake', '--output', 'json']);
  expect(init.code, init.stderr).toBe(0);
  initOutput = JSON.parse(init.stdout) as { watcherAddress: string };
  // Loopback ports nobody else holds, so the test never meets a running `npm start`.
  const [rpc, p2p, abci, libp2p, metrics, api, grpc] = (await freePorts(7)) as [number, number, number, number, number, number, number];
  await setNodePorts(home, { rpc, p2p, abci, libp2p, metrics, api, grpc });
  // The operator's key is in the keyring (cairn1…); genesis commands write it with the demo prefix.
  expect((await cairn(['keys', 'add', 'op', '--recover'], MNEMONICS[3])).code).toBe(0);
  for (const args of [
    ['genesis', 'add-account', 'op', '1000000000ustake,1000000000udemo'],
    ['genesis', 'add-account', alice.address, '50000000udemo,50000000ustake'],
    ['genesis', 'add-validator', 'op', '100000000ustake', '--moniker', 'demo-node'],
  ]) {
    const r = await cairn(args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  await node?.stop();
});

describe('cairn init --bech32-prefix --default-denom --bond-denom', () => {
  it('writes a genesis whose every module agrees on the prefix and the denoms, and an app.toml charging fees in the token', async () => {
    const state = (await readGenesis(home)).app_state as Record<string, { params?: Record<string, unknown> } & Record<string, unknown>>;
    expect(state['auth']!['bech32_prefix']).toBe('demo');
    expect(state['staking']!.params!['bond_denom']).toBe('ustake');
    expect(state['gov']!.params!['min_deposit']).toEqual([{ denom: 'ustake', amount: '10000000' }]);
    expect((state['gov']!.params!['expedited_min_deposit'] as { denom: string }[])[0]!.denom).toBe('ustake');
    expect(state['registry']!.params!['price_denom']).toBe('udemo');
    expect((state['registry']!.params!['min_operator_bond'] as { denom: string }).denom).toBe('udemo');
    expect((state['receipts']!.params!['challenge_bond'] as { denom: string }).denom).toBe('udemo');
    expect(state['emission']!.params!['denom']).toBe('udemo');
    const metadata = state['bank']!['denom_metadata'] as { base: string; display: string; denom_units: { denom: string; exponent: number }[] }[];
    expect(metadata.map((m) => [m.base, m.display, m.denom_units.map((u) => `${u.denom}:${u.exponent}`)])).toEqual([
      ['udemo', 'demo', ['udemo:0', 'demo:6']],
      ['ustake', 'stake', ['ustake:0', 'stake:6']],
    ]);
    // No address of another prefix and no ucairn anywhere in the genesis.
    const text = JSON.stringify(state);
    expect(text).not.toMatch(/cairn1|ucairn/);
    expect(JSON.stringify(state['staking'])).toMatch(/demovaloper1/);
    expect((await readAppConfig(home)).minimumGasPrices).toBe('0.025udemo');
    expect(initOutput.watcherAddress).toMatch(/^demo1/);
  });

  it('genesis commands refuse a self-bond in another denom and an address of another prefix, and write nothing', async () => {
    const before = await readFile(join(home, 'config', 'genesis.json'), 'utf8');
    const wrongDenom = await cairn(['genesis', 'add-validator', 'op', '100ucairn']);
    expect(wrongDenom.code).not.toBe(0);
    expect(wrongDenom.stderr).toContain('the self-bond is one amount of the genesis bond denom ustake, got 100ucairn');
    const cairnAddress = (await testWallet(2)).address;
    const wrongPrefix = await cairn(['genesis', 'add-account', cairnAddress, '5udemo']);
    expect(wrongPrefix.code).not.toBe(0);
    expect(wrongPrefix.stderr).toContain(`${cairnAddress} has prefix 'cairn', but this genesis's accounts start with demo1`);
    const badFlag = await runCli(['init', 'x', '--chain-id', 'x-1', '--bond-denom', '1bad', '--home', join(home, 'never')], memoryIo());
    expect(badFlag).not.toBe(0);
    expect(await readFile(join(home, 'config', 'genesis.json'), 'utf8')).toBe(before);
  });

  it('a real node produces blocks; CosmJS with the demo prefix sends udemo and delegates ustake', async () => {
    node = await startNode({ home, logger: silentLogger, withCometbft: true });
    const rpcUrl = node.rpcUrl!;
    await waitForHeight(rpcUrl, 2, 60_000);
    const client = await SigningStargateClient.connectWithSigner(rpcUrl, alice.wallet, { gasPrice: GasPrice.fromString('0.025udemo') });
    try {
      const sent = await client.sendTokens(alice.address, bob.address, [{ denom: 'udemo', amount: '1234' }], 'auto');
      expect(sent.code, sent.rawLog).toBe(0);
      expect(await client.getBalance(bob.address, 'udemo')).toEqual({ denom: 'udemo', amount: '1234' });

      const comet = await connectComet(rpcUrl);
      const validators = await QueryClient.withExtensions(comet, setupStakingExtension).staking.validators('BOND_STATUS_BONDED');
      comet.disconnect();
      expect(validators.validators).toHaveLength(1);
      const valoper = validators.validators[0]!.operatorAddress;
      expect(valoper).toMatch(/^demovaloper1/);
      expect(validators.validators[0]!.tokens).toBe('100000000');
      // A delegation in the chain's token is refused with the bond denom named; in ustake it is taken.
      await expect(client.delegateTokens(alice.address, valoper, { denom: 'udemo', amount: '1000' }, 'auto')).rejects.toThrow(/expected ustake/);
      const delegated = await client.delegateTokens(alice.address, valoper, { denom: 'ustake', amount: '5000000' }, 'auto');
      expect(delegated.code, delegated.rawLog).toBe(0);
      expect(await client.getDelegation(alice.address, valoper)).toEqual({ denom: 'ustake', amount: '5000000' });
      expect(await client.getBalance(alice.address, 'ustake')).toEqual({ denom: 'ustake', amount: '45000000' });
    } finally {
      client.disconnect();
    }
    const now = await appHeight(rpcUrl);
    expect(await waitForHeight(rpcUrl, now + 2, 30_000)).toBeGreaterThanOrEqual(now + 2);
  }, 120_000);
});
