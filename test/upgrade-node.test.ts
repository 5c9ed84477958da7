// Governance's effects on a real CometBFT (one validator; the test holds the params authority's key,
// as AppOptions.authority allows): a block max gas change reaches CometBFT's /consensus_params, and a
// software upgrade stops the node at the plan height, stops it there again on a restart of the same
// build, and a restart registering the handler applies the block with the migration and goes on.
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { QueryParamsResponse as AuthParamsResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { QueryAppliedPlanRequest, QueryAppliedPlanResponse } from 'cosmjs-types/cosmos/upgrade/v1beta1/query';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressCodec } from '../core/framework/address.ts';
import { rpcCall, waitForHeight } from '../node/cometbft/rpc.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { consensusMsgs } from '../sdk/consensus/messages.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';
import { upgradeMsgs } from '../sdk/upgrade/messages.ts';
import { DEFAULT_BLOCK_MAX_GAS } from '../modules/consensus/index.ts';
import { runCli } from '../cli/main.ts';
import { memoryIo } from './support/cli-io.ts';
import { eventually, latestHeight } from './support/localnet.ts';
import { createTestHome, type TestHome } from './support/node-home.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

let home: TestHome;
let node: RunningNode | undefined;
let gov: TestWallet;

function start(handlers: readonly string[] = []): Promise<RunningNode> {
  return startNode({ home: home.home, logger: silentLogger, withCometbft: true, authority: new AddressCodec('cairn').decode(gov.address), upgradeHandlers: handlers });
}

async function send(msgs: EncodeObject[]): Promise<number> {
  const client = await SigningStargateClient.connectWithSigner(home.rpcUrl, gov.wallet, { gasPrice: GasPrice.fromString('0.025ucairn'), registry: cairnRegistry(), broadcastPollIntervalMs: 200 });
  try {
    const r = await client.signAndBroadcast(gov.address, msgs, 'auto');
    expect(r.rawLog ?? '').toBe('');
    expect(r.code).toBe(0);
    return r.height;
  } finally {
    client.disconnect();
  }
}

async function abciQuery(path: string, data: Uint8Array = new Uint8Array()): Promise<Uint8Array> {
  const r = (await rpcCall(home.rpcUrl, 'abci_query', { path, data: Buffer.from(data).toString('hex') })) as { response: { code?: number; log?: string; value?: string } };
  if ((r.response.code ?? 0) !== 0) throw new Error(r.response.log);
  return Buffer.from(r.response.value ?? '', 'base64');
}

/** CometBFT's consensus params at a height; it stores them after the app's Commit, so a fresh height may need a moment. */
function consensusParams(height?: number): Promise<{ block: { max_bytes: string; max_gas: string } }> {
  return eventually(`CometBFT's consensus params at ${height ?? 'the latest height'}`, 30_000, async () => {
    const r = (await rpcCall(home.rpcUrl, 'consensus_params', height === undefined ? {} : { height: String(height) })) as { consensus_params: { block: { max_bytes: string; max_gas: string } } };
    return r.consensus_params;
  });
}

async function cli(...argv: string[]): Promise<string> {
  const io = memoryIo();
  const code = await runCli([...argv, '--node', home.rpcUrl], io);
  if (code !== 0) throw new Error(`cairn ${argv.join(' ')} exited ${code}: ${io.stderrText()}`);
  return io.stdoutText();
}

beforeAll(async () => {
  gov = await testWallet(3);
  home = await createTestHome([{ address: gov.address, amount: 10n ** 12n }], 'cairn-upgrade-1');
  node = await start();
  await waitForHeight(home.rpcUrl, 2, 60_000);
}, 120_000);

afterAll(async () => {
  await node?.stop();
});

describe('on a real CometBFT', () => {
  it('a new chain has the default block gas limit, and a MsgUpdateParams from the authority changes it in CometBFT', async () => {
    expect((await consensusParams(1)).block.max_gas).toBe(String(DEFAULT_BLOCK_MAX_GAS));
    const height = await send([
      consensusMsgs.MsgUpdateParams({
        authority: gov.address,
        block: { maxBytes: 22_020_096n, maxGas: 80_000_000n },
        evidence: { maxAgeNumBlocks: 100_000n, maxAgeDuration: { seconds: 172_800n, nanos: 0 }, maxBytes: 1_048_576n },
        validator: { pubKeyTypes: ['ed25519'] },
      }),
    ]);
    // Updates returned at height h apply from h + 1.
    await waitForHeight(home.rpcUrl, height + 1, 30_000);
    expect((await consensusParams(height)).block.max_gas).toBe(String(DEFAULT_BLOCK_MAX_GAS));
    expect((await consensusParams(height + 1)).block.max_gas).toBe('80000000');
    expect((await consensusParams()).block.max_gas).toBe('80000000');
    expect(await cli('query', 'consensus', 'params')).toMatch(/block max gas:\s+80000000/);
  }, 90_000);

  it('a software upgrade stops the node at the plan height; restarted with the handler it migrates there and goes on', async () => {
    const memoBefore = AuthParamsResponse.decode(await abciQuery('/cosmos.auth.v1beta1.Query/Params')).params!.maxMemoCharacters;
    const planHeight = (await latestHeight(home.rpcUrl)) + 8;
    await send([upgradeMsgs.MsgSoftwareUpgrade({ authority: gov.address, plan: { name: 'test-migration', height: BigInt(planHeight), info: 'rehearsal', time: { seconds: 0n, nanos: 0 } } })]);

    expect(await cli('query', 'upgrade', 'plan')).toMatch(new RegExp(`name:\\s+test-migration\\s+height:\\s+${planHeight}`));
    const halt = await node!.halted;
    expect(halt.message).toBe(`UPGRADE "test-migration" NEEDED at height: ${planHeight}: rehearsal`);
    // CometBFT stops gracefully (SIGTERM to itself) once the app closes the consensus connection:
    // ~0.1 s alone, but a CI run beside 4-validator localnets took more than 30 s.
    await eventually('CometBFT to stop after the app refused the block', 120_000, async () => ((await Promise.race([node!.cometbftExited.then(() => true), new Promise((r) => setTimeout(() => r(undefined), 100))])) === true ? true : undefined));
    expect(node!.app.store.lastHeight).toBe(BigInt(planHeight - 1));
    await node!.stop();
    node = undefined;
    expect(JSON.parse(await readFile(join(home.home, 'data', 'upgrade-info.json'), 'utf8'))).toEqual({ name: 'test-migration', height: planHeight, info: 'rehearsal' });

    // The same build refuses to start again, before CometBFT replays the block.
    await expect(start()).rejects.toThrow(`UPGRADE "test-migration" NEEDED at height: ${planHeight}`);

    node = await start(['test-migration']);
    await waitForHeight(home.rpcUrl, planHeight + 2, 60_000);
    const applied = QueryAppliedPlanResponse.decode(await abciQuery('/cosmos.upgrade.v1beta1.Query/AppliedPlan', QueryAppliedPlanRequest.encode({ name: 'test-migration' }).finish()));
    expect(applied.height).toBe(BigInt(planHeight));
    expect(AuthParamsResponse.decode(await abciQuery('/cosmos.auth.v1beta1.Query/Params')).params!.maxMemoCharacters).toBe(memoBefore * 2n);
    expect(await cli('query', 'upgrade', 'applied', 'test-migration')).toContain(`upgrade "test-migration" was applied at height ${planHeight}`);
    expect(await cli('query', 'upgrade', 'plan')).toContain('no upgrade is scheduled');
  }, 300_000);
});
