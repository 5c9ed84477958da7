// MsgVote and MsgVoteWeighted (cosmos.gov.v1 and v1beta1): a vote, or a split of one's power over
// several options, on a proposal in its voting period; a later vote replaces an earlier one. The
// weights of v1beta1 are a Dec's atomics ("500000000000000000"), those of v1 decimal text ("0.5").
import { MsgVote, MsgVoteResponse, MsgVoteWeighted, MsgVoteWeightedResponse } from 'cosmjs-types/cosmos/gov/v1/tx';
import {
  MsgVote as MsgVoteV1beta1,
  MsgVoteResponse as MsgVoteResponseV1beta1,
  MsgVoteWeighted as MsgVoteWeightedV1beta1,
  MsgVoteWeightedResponse as MsgVoteWeightedResponseV1beta1,
} from 'cosmjs-types/cosmos/gov/v1beta1/tx';
import type { WeightedVoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { Context } from '../../../core/framework/context.ts';
import { type EncodedAny, type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { GOV_TYPE_URLS, GOV_V1BETA1_TYPE_URLS } from '../../../sdk/gov/messages.ts';
import type { GovKeeper } from '../keeper.ts';
import { checkWeightedOptions, singleOption } from '../vote-options.ts';
import { checkMetadata } from './submit-proposal.ts';

interface AnyVote {
  readonly proposalId: bigint;
  readonly voter: string;
  readonly metadata?: string;
}

function voteHandler<M extends AnyVote>(k: GovKeeper, typeUrl: string, decode: (b: Uint8Array) => M, options: (msg: M) => WeightedVoteOption[], response: () => EncodedAny): MsgHandler<M> {
  const check = (msg: M, ctx: Context): { voter: Uint8Array; options: WeightedVoteOption[] } => {
    const voter = ctx.addresses.decode(msg.voter);
    const opts = options(msg);
    checkMetadata(msg.metadata ?? '');
    return { voter, options: opts };
  };
  return {
    typeUrl,
    decode,
    signers: (msg) => [msg.voter],
    validate: (msg, ctx) => void check(msg, ctx),
    async execute(msg, ctx) {
      const { voter, options: opts } = check(msg, ctx);
      await k.addVote(ctx, msg.proposalId, voter, opts, msg.metadata ?? '');
      return response();
    },
  };
}

export function msgVote(k: GovKeeper): MsgHandler<MsgVote> {
  const url = GOV_TYPE_URLS.MsgVote;
  return voteHandler(k, url, (b) => MsgVote.decode(b), (m) => singleOption(m.option), () => msgResponse(url, MsgVoteResponse, {}));
}

export function msgVoteWeighted(k: GovKeeper): MsgHandler<MsgVoteWeighted> {
  const url = GOV_TYPE_URLS.MsgVoteWeighted;
  return voteHandler(k, url, (b) => MsgVoteWeighted.decode(b), (m) => checkWeightedOptions(m.options, false), () => msgResponse(url, MsgVoteWeightedResponse, {}));
}

export function msgVoteV1beta1(k: GovKeeper): MsgHandler<MsgVoteV1beta1> {
  const url = GOV_V1BETA1_TYPE_URLS.MsgVote;
  return voteHandler(k, url, (b) => MsgVoteV1beta1.decode(b), (m) => singleOption(m.option), () => msgResponse(url, MsgVoteResponseV1beta1, {}));
}

export function msgVoteWeightedV1beta1(k: GovKeeper): MsgHandler<MsgVoteWeightedV1beta1> {
  const url = GOV_V1BETA1_TYPE_URLS.MsgVoteWeighted;
  return voteHandler(k, url, (b) => MsgVoteWeightedV1beta1.decode(b), (m) => checkWeightedOptions(m.options, true), () => msgResponse(url, MsgVoteWeightedResponseV1beta1, {}));
}
