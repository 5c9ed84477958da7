// Vote options as MsgVote and MsgVoteWeighted give them, checked as the SDK 0.50 msg server does:
// each option one of yes/abstain/no/no_with_veto, each weight in (0, 1], no option twice, the
// weights summing to exactly 1. Votes are stored in the v1 form (weights "0.500000000000000000").
import { VoteOption, voteOptionToJSON, type WeightedVoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { type Dec, ONE, formatDec, parseDec, parseDecJson } from '../../core/framework/dec.ts';
import { ErrInvalidRequest } from '../../core/framework/sdk-errors.ts';
import { ErrInvalidVote } from './errors.ts';

export function validOption(option: VoteOption): boolean {
  return option >= VoteOption.VOTE_OPTION_YES && option <= VoteOption.VOTE_OPTION_NO_WITH_VETO;
}

/** A stored (v1) weight. */
export function parseWeight(text: string): Dec {
  return parseDecJson(text);
}

/** The SDK's WeightedVoteOptions.String(), as the proposal_vote event's `option` shows it. */
export function optionsText(options: readonly WeightedVoteOption[]): string {
  return options.map((o) => `option:${voteOptionToJSON(o.option)} weight:"${o.weight}"`).join('\n');
}

/**
 * Checks weighted options; `legacy` weights are v1beta1's (the Dec's atomics, "500000000000000000"),
 * otherwise v1's decimal text ("0.5"). Returns them in the stored v1 form.
 */
export function checkWeightedOptions(options: readonly WeightedVoteOption[], legacy: boolean): WeightedVoteOption[] {
  if (options.length === 0) throw ErrInvalidRequest.wrap('no vote options: a weighted vote needs at least one');
  const used = new Set<VoteOption>();
  let total = 0n;
  const out: WeightedVoteOption[] = [];
  for (const o of options) {
    let weight: Dec;
    try {
      weight = legacy ? parseDec(o.weight) : parseDecJson(o.weight);
    } catch (e) {
      throw ErrInvalidVote.wrap(`invalid weight: ${(e as Error).message}`);
    }
    if (!validOption(o.option) || weight <= 0n || weight > ONE) throw ErrInvalidVote.wrap(`option:${voteOptionToJSON(o.option)} weight:"${o.weight}"`);
    if (used.has(o.option)) throw ErrInvalidVote.wrap('duplicated vote option');
    used.add(o.option);
    total += weight;
    out.push({ option: o.option, weight: formatDec(weight) });
  }
  if (total > ONE) throw ErrInvalidVote.wrap('total weight overflow 1.00');
  if (total < ONE) throw ErrInvalidVote.wrap('total weight lower than 1.00');
  return out;
}

/** A plain MsgVote's option as one option of weight 1. */
export function singleOption(option: VoteOption): WeightedVoteOption[] {
  if (!validOption(option)) throw ErrInvalidVote.wrap(voteOptionToJSON(option));
  return [{ option, weight: formatDec(ONE) }];
}
