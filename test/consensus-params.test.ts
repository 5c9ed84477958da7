// The consensus params (cosmos.consensus.v1, as the SDK 0.50's x/consensus): kept in app state from
// InitChain, changed only by the authority's MsgUpdateParams with CometBFT's own checks, handed back in
// FinalizeBlock's consensus_param_updates; and the block gas limit a new chain has by default,
// enforced in CheckTx, PrepareProposal and ProcessProposal.
import type { EncodeObject } from '@cosmjs/proto-signing';
import { QueryParamsResponse } from 'cosmjs-types/cosmos/consensus/v1/query';
import type { MsgUpdateParams } from 'cosmjs-types/cosmos/consensus/v1/tx';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { ResponseProcessProposal_ProposalStatus, type ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import { AddressCodec } from '../core/framework/address.ts';
import { consensusMsgs } from '../sdk/consensus/messages.ts';
import { DEFAULT_BLOCK_MAX_GAS } from '../modules/consensus/index.ts';
import { defaultGenesisConsensusParams } from '../node/genesis.ts';
import { consensusParamsFromJson } from '../node/cometbft/genesis.ts';
import { AppChain, CHAIN_ID } from './support/app-chain.ts';
import { sendTx } from './support/staking.ts';
import { type TestWallet, sendMsg, signTx, testWallet } from './support/wallets.ts';

interface Governed {
  readonly chain: AppChain;
  readonly gov: TestWallet;
  readonly other: TestWallet;
}

async function governed(): Promise<Governed> {
  const [gov, other] = await Promise.all([testWallet(3), testWallet(0)]);
  const chain = await AppChain.start({
    funded: [gov, other].map((w) => ({ address: w.address, amount: 10n ** 12n })),
    authority: new AddressCodec('cairn').decode(gov.address),
  });
  await chain.block();
  return { chain, gov, other };
}

async function params(chain: AppChain): Promise<ConsensusParams> {
  const r = await chain.query('/cosmos.consensus.v1.Query/Params', new Uint8Array());
  if (r.code !== 0) throw new Error(r.log);
  return QueryParamsResponse.decode(r.value).params!;
}

function update(authority: string, p: ConsensusParams, overrides: Partial<MsgUpdateParams> = {}): EncodeObject {
  return consensusMsgs.MsgUpdateParams({ authority, block: p.block!, evidence: p.evidence!, validator: p.validator!, abci: p.abci!, ...overrides });
}

function expectRefused(r: ExecTxResult, codespace: string, code: number, log: string): void {
  expect({ codespace: r.codespace, code: r.code }).toEqual({ codespace, code });
  expect(r.log).toContain(log);
}

describe('consensus params', () => {
  it('start as genesis.json gives them, with a finite block gas limit by default, and the Params query answers them', async () => {
    const { chain } = await governed();
    const p = await params(chain);
    expect(p.block).toEqual({ maxBytes: 22_020_096n, maxGas: DEFAULT_BLOCK_MAX_GAS });
    expect(p.validator!.pubKeyTypes).toEqual(['ed25519']);
    expect(p.evidence!.maxAgeDuration).toEqual({ seconds: 172_800n, nanos: 0 });
    // The genesis.json a new chain gets says the same (cairn init and localnets write it).
    expect(consensusParamsFromJson(defaultGenesisConsensusParams())).toEqual(p);
  });

  it('change by the authority: FinalizeBlock hands the new set to CometBFT once, and the query answers it', async () => {
    const { chain, gov } = await governed();
    const before = await params(chain);
    const next = { ...before, block: { maxBytes: 1_048_576n, maxGas: 5_000_000n }, evidence: { ...before.evidence!, maxBytes: 500_000n } };
    const r = await sendTx(chain, gov, [update(gov.address, next)]);
    expect(r.log).toBe('');
    expect(r.code).toBe(0);
    expect(chain.lastBlock!.consensusParamUpdates).toEqual({ ...next, version: { app: 0n } });
    expect(await params(chain)).toEqual({ ...next, version: { app: 0n } });
    await chain.block();
    expect(chain.lastBlock!.consensusParamUpdates).toBeUndefined();
  });

  it('can schedule vote extensions at a future height only', async () => {
    const { chain, gov } = await governed();
    const p = await params(chain);
    expectRefused(await sendTx(chain, gov, [update(gov.address, p, { abci: { voteExtensionsEnableHeight: 2n } })]), 'sdk', 18, 'past or current height');
    const r = await sendTx(chain, gov, [update(gov.address, p, { abci: { voteExtensionsEnableHeight: 100n } })]);
    expect(r.code).toBe(0);
    expect((await params(chain)).abci).toEqual({ voteExtensionsEnableHeight: 100n });
  });

  it('refuse any other signer with gov/13, and every set CometBFT would refuse with sdk/18, changing nothing', async () => {
    const { chain, gov, other } = await governed();
    const p = await params(chain);
    expectRefused(await sendTx(chain, other, [update(other.address, p)]), 'gov', 13, `expected ${gov.address}, got ${other.address}`);
    const bad: [string, Partial<MsgUpdateParams>][] = [
      ['block.MaxBytes cannot be 0', { block: { maxBytes: 0n, maxGas: 1n } }],
      ['block.MaxBytes must be -1 or greater than 0', { block: { maxBytes: -2n, maxGas: 1n } }],
      ['block.MaxBytes is too big', { block: { maxBytes: 104_857_601n, maxGas: 1n } }],
      ['block.MaxGas must be greater or equal to -1', { block: { maxBytes: 1_000_000n, maxGas: -2n } }],
      ['evidence.MaxAgeNumBlocks must be greater than 0', { evidence: { ...p.evidence!, maxAgeNumBlocks: 0n } }],
      ['evidence.MaxAgeDuration must be greater than 0', { evidence: { ...p.evidence!, maxAgeDuration: { seconds: 0n, nanos: 0 } } }],
      ['evidence.MaxBytesEvidence is greater than upper bound', { block: { maxBytes: 1000n, maxGas: -1n }, evidence: { ...p.evidence!, maxBytes: 1001n } }],
      ['evidence.MaxBytes must be non negative', { evidence: { ...p.evidence!, maxBytes: -1n } }],
      ['len(Validator.PubKeyTypes) must be greater than 0', { validator: { pubKeyTypes: [] } }],
      ['sr25519, is an unknown pubkey type', { validator: { pubKeyTypes: ['ed25519', 'sr25519'] } }],
      ['must include ed25519', { validator: { pubKeyTypes: ['secp256k1'] } }],
      ['cannot be negative', { abci: { voteExtensionsEnableHeight: -1n } }],
    ];
    for (const [log, overrides] of bad) expectRefused(await sendTx(chain, gov, [update(gov.address, p, overrides)]), 'sdk', 18, log);
    // All three sections are required, as in the SDK.
    expectRefused(await sendTx(chain, gov, [consensusMsgs.MsgUpdateParams({ authority: gov.address, block: p.block! })]), 'sdk', 18, 'all parameters must be present');
    expect(await params(chain)).toEqual(p);
    // -1 (no limit) is CometBFT's own value, and allowed.
    expect((await sendTx(chain, gov, [update(gov.address, p, { block: { maxBytes: -1n, maxGas: -1n } })])).code).toBe(0);
    expect((await params(chain)).block).toEqual({ maxBytes: -1n, maxGas: -1n });
  });
});

describe('the block gas limit', () => {
  async function signedSend(chain: AppChain, w: TestWallet, to: string, gas: bigint, sequence = 0n): Promise<Uint8Array> {
    const account = await chain.account(w.address);
    return signTx(w, [sendMsg(w.address, to, '1')], { chainId: CHAIN_ID, accountNumber: account.accountNumber, sequence: account.sequence + sequence, gas });
  }

  it('refuses in CheckTx a tx that wants more gas than a block may hold (sdk/11), and admits one at the limit', async () => {
    const { chain, gov, other } = await governed();
    const over = await chain.checkTx(await signedSend(chain, other, gov.address, DEFAULT_BLOCK_MAX_GAS + 1n));
    expect({ codespace: over.codespace, code: over.code }).toEqual({ codespace: 'sdk', code: 11 });
    expect(over.log).toContain(`tx gas wanted ${DEFAULT_BLOCK_MAX_GAS + 1n} exceeds block max gas limit ${DEFAULT_BLOCK_MAX_GAS}`);
    expect((await chain.checkTx(await signedSend(chain, other, gov.address, DEFAULT_BLOCK_MAX_GAS))).code).toBe(0);
  });

  it('follows a change from the next block: PrepareProposal packs up to it and ProcessProposal rejects a block beyond it', async () => {
    const { chain, gov, other } = await governed();
    const p = await params(chain);
    expect((await sendTx(chain, gov, [update(gov.address, p, { block: { maxBytes: p.block!.maxBytes, maxGas: 500_000n } })])).code).toBe(0);
    const txs = [0n, 1n, 2n].map((seq) => signedSend(chain, other, gov.address, 200_000n, seq));
    const signed = await Promise.all(txs);
    const prepared = await chain.app.prepareProposal({ txs: signed, maxTxBytes: 1_000_000n, height: chain.height + 1n, time: undefined, misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(), localLastCommit: undefined } as never);
    expect(prepared.txs).toEqual(signed.slice(0, 2));
    const process = (txs: Uint8Array[]) => chain.app.processProposal({ txs, height: chain.height + 1n, hash: new Uint8Array(32) } as never);
    expect((await process(signed.slice(0, 2))).status).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);
    expect((await process(signed)).status).toBe(ResponseProcessProposal_ProposalStatus.REJECT);
    const big = await chain.checkTx(await signedSend(chain, other, gov.address, 500_001n));
    expect(big.code).toBe(11);
  });
});
