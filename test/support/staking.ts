// In-process helpers for validator tests: genesis with staking validators, signing and running one
// tx per block, and the votes CometBFT would report for the current validator set.
import type { EncodeObject } from '@cosmjs/proto-signing';
import { createHash } from 'node:crypto';
import type { ExecTxResult, VoteInfo } from 'cosmjs-types/tendermint/abci/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { addGenesisAccount, defaultAppState, type AppState } from '../../node/genesis.ts';
import { addGenesisValidator } from '../../modules/staking/genesis-builder.ts';
import { consensusAddress } from '../../modules/staking/addresses.ts';
import { AppChain, CHAIN_ID, type BlockConsensus } from './app-chain.ts';
import { signTx, type TestWallet } from './wallets.ts';

/** A deterministic stand-in for an ed25519 consensus key (the app only checks its length). */
export function consensusKey(i: number): string {
  return createHash('sha256').update(`cairn-test-consensus-${i}`).digest().toString('base64');
}

export function consAddr(i: number): Uint8Array {
  return consensusAddress(Buffer.from(consensusKey(i), 'base64'));
}

export interface ValidatorSpec {
  readonly address: string;
  readonly selfBond: bigint;
  /** Genesis balance (default: the self-bond plus 10^12 for fees and delegations). */
  readonly funds?: bigint;
  readonly commission?: { rate: string; maxRate: string; maxChangeRate: string };
}

export interface StakingStateOptions {
  readonly validators: readonly ValidatorSpec[];
  readonly funded?: readonly { address: string; amount: bigint }[];
  /** Merged over each module's default section, e.g. { slashing: { params: { signed_blocks_window: '10' } } }. */
  readonly sections?: Readonly<Record<string, Record<string, unknown>>>;
}

export function stakingAppState(opts: StakingStateOptions): AppState {
  let state = defaultAppState();
  for (const [name, section] of Object.entries(opts.sections ?? {})) {
    const current = (state[name] ?? {}) as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...current };
    for (const [k, v] of Object.entries(section)) {
      merged[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...((current[k] ?? {}) as object), ...v } : v;
    }
    state = { ...state, [name]: merged };
  }
  for (const f of opts.funded ?? []) state = addGenesisAccount(state, f.address, [{ denom: 'ucairn', amount: f.amount }]);
  opts.validators.forEach((v, i) => {
    state = addGenesisAccount(state, v.address, [{ denom: 'ucairn', amount: v.funds ?? v.selfBond + 10n ** 12n }]);
    state = addGenesisValidator(state, {
      operator: v.address,
      consensusPubKey: consensusKey(i),
      selfBond: v.selfBond,
      moniker: `validator-${i}`,
      ...(v.commission === undefined ? {} : { commission: v.commission }),
    });
  });
  return state;
}

/** Signs `msgs` with the wallet's current account number and sequence and runs them in the next block. */
/** `fee` in ucairn; '' pays no fee at all (AppChain accepts any fee). */
export async function sendTx(chain: AppChain, w: TestWallet, msgs: EncodeObject[], consensus?: BlockConsensus, fee = '5000'): Promise<ExecTxResult> {
  const account = await chain.account(w.address);
  const coins = fee === '' ? [] : [{ denom: 'ucairn', amount: fee }];
  const tx = await signTx(w, msgs, { chainId: CHAIN_ID, accountNumber: account.accountNumber, sequence: account.sequence, fee: coins, gas: 1_000_000n });
  const [result] = await chain.block([tx], consensus);
  return result!;
}

/** Votes as CometBFT reports them: each listed validator (by index into consensusKey) with its power. */
export function votes(list: readonly { index: number; power: bigint; signed: boolean }[]): VoteInfo[] {
  return list.map((v) => ({
    validator: { address: consAddr(v.index), power: v.power },
    blockIdFlag: v.signed ? BlockIDFlag.BLOCK_ID_FLAG_COMMIT : BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
  }));
}
