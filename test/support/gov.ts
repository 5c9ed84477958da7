// In-process governance: a chain whose validators (and any delegators) vote, with gov periods short
// enough that a proposal ends a few blocks after it is submitted (AppChain blocks are 5 s apart).
import type { EncodeObject } from '@cosmjs/proto-signing';
import { Proposal, ProposalStatus, type TallyResult, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import * as q from 'cosmjs-types/cosmos/gov/v1/query';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { moduleAddress } from '../../core/framework/address.ts';
import { govMsgs } from '../../sdk/gov/messages.ts';
import { AppChain } from './app-chain.ts';
import { sendTx, stakingAppState, type ValidatorSpec } from './staking.ts';
import type { TestWallet } from './wallets.ts';

/** Gov params for tests: 1000ucairn to reach voting, 20 s (4 blocks) of deposit and of voting. */
export const TEST_GOV_PARAMS = { min_deposit: [{ denom: 'ucairn', amount: '1000' }], max_deposit_period: '20s', voting_period: '20s', expedited_voting_period: '10s' };
/** Tokens per unit of consensus power. */
export const UNIT = 1_000_000n;

export interface GovChainOptions {
  readonly validators: readonly ValidatorSpec[];
  readonly funded?: readonly { address: string; amount: bigint }[];
  readonly govParams?: Readonly<Record<string, unknown>>;
  readonly sections?: Readonly<Record<string, Record<string, unknown>>>;
}

export async function govChain(opts: GovChainOptions): Promise<AppChain> {
  const chain = await AppChain.start({
    appState: stakingAppState({
      validators: opts.validators,
      ...(opts.funded === undefined ? {} : { funded: opts.funded }),
      sections: { ...opts.sections, gov: { params: { ...TEST_GOV_PARAMS, ...opts.govParams } } },
    }),
  });
  await chain.block();
  return chain;
}

export function govAddress(chain: AppChain): string {
  return chain.app.addresses.encode(moduleAddress('gov'));
}

export function submitMsg(proposer: string, messages: Any[], deposit = '1000', extra: Partial<Parameters<typeof govMsgs.MsgSubmitProposal>[0]> = {}): EncodeObject {
  return govMsgs.MsgSubmitProposal({
    messages,
    initialDeposit: deposit === '' ? [] : [{ denom: 'ucairn', amount: deposit }],
    proposer,
    metadata: '',
    title: 'a proposal',
    summary: 'what it does and why',
    expedited: false,
    ...extra,
  });
}

/** Submits and returns the new proposal's id (throws with the log if refused). No messages: a signaling proposal (metadata only). */
export async function submit(chain: AppChain, w: TestWallet, messages: Any[] = [], deposit = '1000'): Promise<bigint> {
  const r = await sendTx(chain, w, [submitMsg(w.address, messages, deposit, messages.length === 0 ? { metadata: 'ipfs://signal' } : {})]);
  if (r.code !== 0) throw new Error(`submit refused: ${r.codespace}/${r.code} ${r.log}`);
  const attr = r.events.find((e) => e.type === 'submit_proposal' && e.attributes.some((a) => a.key === 'proposal_id'));
  return BigInt(attr!.attributes.find((a) => a.key === 'proposal_id')!.value);
}

export function voteMsg(voter: string, proposalId: bigint, option: VoteOption): EncodeObject {
  return govMsgs.MsgVote({ proposalId, voter, option, metadata: '' });
}

export async function vote(chain: AppChain, w: TestWallet, proposalId: bigint, option: VoteOption): Promise<ExecTxResult> {
  const r = await sendTx(chain, w, [voteMsg(w.address, proposalId, option)]);
  if (r.code !== 0) throw new Error(`vote refused: ${r.codespace}/${r.code} ${r.log}`);
  return r;
}

export async function proposal(chain: AppChain, id: bigint): Promise<Proposal | undefined> {
  const r = await chain.query('/cosmos.gov.v1.Query/Proposal', q.QueryProposalRequest.encode({ proposalId: id }).finish());
  if (r.code !== 0) return undefined;
  return q.QueryProposalResponse.decode(r.value).proposal;
}

export async function tallyNow(chain: AppChain, id: bigint): Promise<TallyResult> {
  const r = await chain.query('/cosmos.gov.v1.Query/TallyResult', q.QueryTallyResultRequest.encode({ proposalId: id }).finish());
  if (r.code !== 0) throw new Error(r.log);
  return q.QueryTallyResultResponse.decode(r.value).tally!;
}

/** Runs empty blocks until the proposal leaves its deposit and voting periods; returns it (undefined if dropped). */
export async function finish(chain: AppChain, id: bigint): Promise<Proposal | undefined> {
  for (let i = 0; i < 100; i++) {
    const p = await proposal(chain, id);
    if (p === undefined || (p.status !== ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD)) return p;
    await chain.block();
  }
  throw new Error(`proposal ${id} still open after 100 blocks`);
}

export { ProposalStatus, VoteOption };
