// The SDK 0.50 tally (x/gov/keeper/tally.go), by bonded stake at the moment voting ends:
//  - every bonded validator starts with its bonded tokens and its vote, if it cast one;
//  - a voter that delegates votes with the tokens its delegations to bonded validators are worth,
//    and those shares are deducted from each validator, so a delegator's own vote overrides the one
//    its validator would cast for it (a validator that did not vote casts nothing);
//  - quorum: voting power / total bonded must reach `quorum`; then, if everyone abstained, the
//    proposal fails; a veto share above `veto_threshold` fails it (burning deposits if
//    burn_vote_veto); a yes share of the non-abstaining power above `threshold` passes it.
// Powers are 18-decimal Decs, truncated at each product; the thresholds are compared exactly
// (cross-multiplied), so "just missed" and "just reached" mean what they say.
import { type Proposal, type TallyResult, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { KVRead } from '../../core/store/types.ts';
import { type Dec, ONE, decFromInt, mulDivTrunc, mulTrunc, parseDec, truncate } from '../../core/framework/dec.ts';
import { isBonded, operatorBytes, tokensOf } from '../staking/api.ts';
import { u64Key } from '../../core/framework/collections.ts';
import type { GovStaking } from './deps.ts';
import * as keys from './keys.ts';
import type { GovParams } from './params.ts';
import { parseWeight } from './vote-options.ts';

export interface Tally {
  readonly passes: boolean;
  readonly burnDeposits: boolean;
  readonly result: TallyResult;
}

interface ValidatorGovInfo {
  readonly bondedTokens: bigint;
  readonly delegatorShares: Dec;
  deductions: Dec;
  vote: readonly { option: VoteOption; weight: Dec }[];
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export async function tally(store: KVRead, staking: GovStaking, params: GovParams, proposal: Proposal): Promise<Tally> {
  const results = new Map<VoteOption, Dec>([
    [VoteOption.VOTE_OPTION_YES, 0n],
    [VoteOption.VOTE_OPTION_ABSTAIN, 0n],
    [VoteOption.VOTE_OPTION_NO, 0n],
    [VoteOption.VOTE_OPTION_NO_WITH_VETO, 0n],
  ]);
  const add = (options: readonly { option: VoteOption; weight: Dec }[], power: Dec): void => {
    for (const o of options) results.set(o.option, (results.get(o.option) ?? 0n) + mulTrunc(power, o.weight));
  };
  // Operator address (hex) → its gov info; a Map keeps insertion (operator address) order.
  const validators = new Map<string, ValidatorGovInfo>();
  let totalBonded = 0n;
  for await (const v of staking.allValidators(store)) {
    if (!isBonded(v)) continue;
    totalBonded += tokensOf(v);
    validators.set(hex(operatorBytes(v)), { bondedTokens: tokensOf(v), delegatorShares: parseDec(v.delegatorShares), deductions: 0n, vote: [] });
  }
  let totalPower = 0n;
  for await (const [[, voter], vote] of keys.votes.entries(store, { subPrefix: u64Key.encode(proposal.id) })) {
    const options = vote.options.map((o) => ({ option: o.option, weight: parseWeight(o.weight) }));
    // A validator's own vote counts for its remaining (undelegated-away) power below.
    const own = validators.get(hex(voter));
    if (own !== undefined) own.vote = options;
    for await (const [operator, delegation] of staking.delegationsOf(store, voter)) {
      const val = validators.get(hex(operator));
      if (val === undefined || val.delegatorShares === 0n) continue;
      const shares = parseDec(delegation.shares);
      val.deductions += shares;
      const power = mulDivTrunc(shares, decFromInt(val.bondedTokens), val.delegatorShares);
      add(options, power);
      totalPower += power;
    }
  }
  for (const val of validators.values()) {
    if (val.vote.length === 0 || val.delegatorShares === 0n) continue;
    const power = mulDivTrunc(val.delegatorShares - val.deductions, decFromInt(val.bondedTokens), val.delegatorShares);
    add(val.vote, power);
    totalPower += power;
  }
  const yes = results.get(VoteOption.VOTE_OPTION_YES)!;
  const abstain = results.get(VoteOption.VOTE_OPTION_ABSTAIN)!;
  const veto = results.get(VoteOption.VOTE_OPTION_NO_WITH_VETO)!;
  const result: TallyResult = {
    yesCount: truncate(yes).toString(),
    abstainCount: truncate(abstain).toString(),
    noCount: truncate(results.get(VoteOption.VOTE_OPTION_NO)!).toString(),
    noWithVetoCount: truncate(veto).toString(),
  };
  const fail = (burnDeposits: boolean): Tally => ({ passes: false, burnDeposits, result });
  if (totalBonded === 0n) return fail(false);
  // power / bonded < quorum  ⇔  power < quorum × bonded (power and quorum in atomics)
  if (totalPower < params.quorum * totalBonded) return fail(params.burnVoteQuorum);
  if (totalPower - abstain === 0n) return fail(false);
  if (veto * ONE > params.vetoThreshold * totalPower) return fail(params.burnVoteVeto);
  if (yes * ONE > params.threshold * (totalPower - abstain)) return { passes: true, burnDeposits: false, result };
  return fail(false);
}

/** The result of a proposal nobody has voted on yet (the SDK's EmptyTallyResult). */
export const EMPTY_TALLY: TallyResult = { yesCount: '0', abstainCount: '0', noCount: '0', noWithVetoCount: '0' };

