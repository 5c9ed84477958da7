// Proposals, deposits and votes (x/gov/keeper in the SDK 0.50). A proposal is submitted with its
// messages and an initial deposit, waits in its deposit period until its deposits reach min_deposit
// (or is dropped when max_deposit_period ends), then is voted on for voting_period; block.ts tallies
// it at the end, runs a passed proposal's messages and refunds or burns the deposits.
import { type Deposit, type Proposal, ProposalStatus, type WeightedVoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { Params } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Context } from '../../core/framework/context.ts';
import { type Amount, formatCoins, parseCoins, sumCoins, toProtoCoins } from '../../core/framework/coins.ts';
import { msToTimestamp, timestampMs } from '../../core/framework/time.ts';
import { mulDivTrunc, ONE } from '../../core/framework/dec.ts';
import { u64Key } from '../../core/framework/collections.ts';
import type { KVRead, KVStore } from '../../core/store/types.ts';
import type { GovBank, GovRouter, GovStaking } from './deps.ts';
import { ErrInactiveProposal, ErrInvalidDepositDenom, ErrMinDepositTooSmall, ErrUnknownProposal } from './errors.ts';
import * as keys from './keys.ts';
import { type GovParams, defaultParams, parseParams } from './params.ts';
import { EMPTY_TALLY } from './tally.ts';
import { optionsText } from './vote-options.ts';

export interface NewProposal {
  readonly messages: readonly Any[];
  readonly metadata: string;
  readonly title: string;
  readonly summary: string;
  readonly proposer: string;
}

export class GovKeeper {
  readonly bank: GovBank;
  readonly staking: GovStaking;
  /** Every handler of the app, filled in by the app's module list once it is built. */
  readonly router: GovRouter;

  constructor(bank: GovBank, staking: GovStaking, router: GovRouter) {
    this.bank = bank;
    this.staking = staking;
    this.router = router;
  }

  async rawParams(store: KVRead): Promise<Params> {
    return (await keys.params.get(store)) ?? defaultParams();
  }

  async params(store: KVRead): Promise<GovParams> {
    return parseParams(await this.rawParams(store));
  }

  async proposal(store: KVRead, id: bigint): Promise<Proposal> {
    const p = await keys.proposals.get(store, id);
    if (p === undefined) throw ErrUnknownProposal.wrap(String(id));
    return p;
  }

  /** Stores a new proposal in its deposit period (the initial deposit is added by the caller). */
  async submitProposal(ctx: Context, p: NewProposal): Promise<Proposal> {
    const params = await this.params(ctx.store);
    const id = (await keys.nextProposalId.get(ctx.store)) ?? 1n;
    keys.nextProposalId.set(ctx.store, id + 1n);
    const submitMs = timestampMs(ctx.block.time);
    const proposal: Proposal = {
      id,
      messages: [...p.messages],
      status: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD,
      finalTallyResult: EMPTY_TALLY,
      submitTime: msToTimestamp(submitMs),
      depositEndTime: msToTimestamp(submitMs + params.maxDepositPeriodMs),
      totalDeposit: [],
      metadata: p.metadata,
      title: p.title,
      summary: p.summary,
      proposer: p.proposer,
      expedited: false,
      failedReason: '',
    };
    keys.proposals.set(ctx.store, id, proposal);
    keys.inactiveQueue.set(ctx.store, [submitMs + params.maxDepositPeriodMs, id], true);
    ctx.events.emit('submit_proposal', { proposal_id: String(id), proposal_messages: p.messages.map((m) => m.typeUrl).join(',') });
    return proposal;
  }

  /** The SDK's validateInitialDeposit: at least min_initial_deposit_ratio of min_deposit. */
  async checkInitialDeposit(store: KVRead, amount: readonly Amount[]): Promise<void> {
    const params = await this.params(store);
    if (params.minInitialDepositRatio === 0n) return;
    // LegacyDec.Mul(ratio).RoundInt(): half up.
    const needed = params.minDeposit.map((c) => ({ denom: c.denom, amount: (mulDivTrunc(c.amount, params.minInitialDepositRatio * 2n, ONE) + 1n) / 2n }));
    if (!allGte(amount, needed)) throw ErrMinDepositTooSmall.wrap(`was (${formatCoins(amount)}), need (${formatCoins(needed)})`);
  }

  /** Adds a deposit; moves the proposal to its voting period once min_deposit is reached. Returns whether it did. */
  async addDeposit(ctx: Context, id: bigint, depositor: Uint8Array, amount: readonly Amount[]): Promise<boolean> {
    const proposal = await this.proposal(ctx.store, id);
    if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
      throw ErrInactiveProposal.wrap(String(id));
    }
    const params = await this.params(ctx.store);
    const accepted = params.minDeposit.map((c) => c.denom);
    if (amount.some((a) => !accepted.includes(a.denom))) {
      throw ErrInvalidDepositDenom.wrap(`deposited ${formatCoins(amount)}, but gov accepts only the following denom(s): [${accepted.join(' ')}]`);
    }
    if (params.minDepositRatio !== 0n) {
      const floor = params.minDeposit.map((c) => ({ denom: c.denom, amount: mulDivTrunc(c.amount, params.minDepositRatio, ONE) }));
      const enough = amount.some((a) => a.amount >= (floor.find((f) => f.denom === a.denom)?.amount ?? 0n));
      if (!enough) throw ErrMinDepositTooSmall.wrap(`received ${formatCoins(amount)} but need at least one of the following: ${formatCoins(floor)}`);
    }
    await this.bank.sendToModule(ctx, depositor, keys.MODULE, amount);
    const total = sumCoins([parseCoins(proposal.totalDeposit, true), amount]);
    proposal.totalDeposit = toProtoCoins(total);
    let activated = false;
    if (proposal.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && allGte(total, params.minDeposit)) {
      keys.inactiveQueue.delete(ctx.store, [timestampMs(proposal.depositEndTime!), id]);
      const startMs = timestampMs(ctx.block.time);
      proposal.status = ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
      proposal.votingStartTime = msToTimestamp(startMs);
      proposal.votingEndTime = msToTimestamp(startMs + params.votingPeriodMs);
      keys.activeQueue.set(ctx.store, [startMs + params.votingPeriodMs, id], true);
      activated = true;
    }
    keys.proposals.set(ctx.store, id, proposal);
    const depositorText = ctx.addresses.encode(depositor);
    const previous = await keys.deposits.get(ctx.store, [id, depositor]);
    const deposit: Deposit = { proposalId: id, depositor: depositorText, amount: toProtoCoins(sumCoins([parseCoins(previous?.amount ?? [], true), amount])) };
    keys.deposits.set(ctx.store, [id, depositor], deposit);
    ctx.events.emit('proposal_deposit', { amount: formatCoins(amount), proposal_id: String(id), depositor: depositorText });
    return activated;
  }

  /** Records (or replaces) a vote; only while the proposal is in its voting period. */
  async addVote(ctx: Context, id: bigint, voter: Uint8Array, options: WeightedVoteOption[], metadata: string): Promise<void> {
    const proposal = await this.proposal(ctx.store, id);
    if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) throw ErrInactiveProposal.wrap(String(id));
    const voterText = ctx.addresses.encode(voter);
    keys.votes.set(ctx.store, [id, voter], { proposalId: id, voter: voterText, options, metadata });
    ctx.events.emit('proposal_vote', { voter: voterText, option: optionsText(options), proposal_id: String(id) });
  }

  async #depositsOf(store: KVRead, id: bigint): Promise<[Uint8Array, Deposit][]> {
    const list: [Uint8Array, Deposit][] = [];
    for await (const [[, depositor], d] of keys.deposits.entries(store, { subPrefix: u64Key.encode(id) })) list.push([depositor, d]);
    return list;
  }

  /** Returns every deposit of the proposal to its depositor and forgets them. */
  async refundAndDeleteDeposits(ctx: Context, id: bigint): Promise<void> {
    for (const [depositor, d] of await this.#depositsOf(ctx.store, id)) {
      const amount = parseCoins(d.amount, true);
      if (amount.length > 0) await this.bank.sendFromModule(ctx, keys.MODULE, depositor, amount);
      keys.deposits.delete(ctx.store, [id, depositor]);
    }
  }

  /** Burns every deposit of the proposal and forgets them. */
  async deleteAndBurnDeposits(ctx: Context, id: bigint): Promise<void> {
    const all: Amount[][] = [];
    for (const [depositor, d] of await this.#depositsOf(ctx.store, id)) {
      all.push(parseCoins(d.amount, true));
      keys.deposits.delete(ctx.store, [id, depositor]);
    }
    const total = sumCoins(all);
    if (total.length > 0) await this.bank.burn(ctx, keys.MODULE, total);
  }

  async deleteVotes(store: KVStore, id: bigint): Promise<void> {
    const voters: Uint8Array[] = [];
    for await (const [[, voter]] of keys.votes.entries(store, { subPrefix: u64Key.encode(id) })) voters.push(voter);
    for (const v of voters) keys.votes.delete(store, [id, v]);
  }
}

/** Coins.IsAllGTE: every denom of `needed` is held in at least that amount. */
export function allGte(have: readonly Amount[], needed: readonly Amount[]): boolean {
  return needed.every((n) => (have.find((h) => h.denom === n.denom)?.amount ?? 0n) >= n.amount);
}
