// MsgSubmitProposal (cosmos.gov.v1): a proposal holding a list of messages the gov account will run
// if it passes, with a title, a summary, metadata and an initial deposit. The messages are checked
// now (routable, signed by the gov account only, their own checks); the deposit must meet
// min_initial_deposit_ratio × min_deposit in the accepted denoms. Expedited proposals are refused.
import { MsgSubmitProposal, MsgSubmitProposalResponse } from 'cosmjs-types/cosmos/gov/v1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { type Amount, parseCoins } from '../../../core/framework/coins.ts';
import type { Context } from '../../../core/framework/context.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ErrInvalidAddress } from '../../../core/framework/sdk-errors.ts';
import { GOV_TYPE_URLS } from '../../../sdk/gov/messages.ts';
import { ErrInvalidProposal, ErrInvalidProposalContent, ErrMetadataTooLong, ErrNoProposalMsgs, ErrSummaryTooLong } from '../errors.ts';
import type { GovKeeper } from '../keeper.ts';
import { checkProposalMessages } from '../proposal-msgs.ts';

/** The SDK's default gov config: MaxMetadataLen (metadata and title) and MaxSummaryLen. */
export const MAX_METADATA_LEN = 255;
export const MAX_SUMMARY_LEN = 10_200;

export function checkMetadata(metadata: string): void {
  if (metadata.length > MAX_METADATA_LEN) throw ErrMetadataTooLong.wrap(`got metadata with length ${metadata.length}`);
}

export interface Submission {
  readonly messages: readonly Any[];
  readonly initialDeposit: readonly Amount[];
  readonly proposer: Uint8Array;
  readonly metadata: string;
  readonly title: string;
  readonly summary: string;
}

/** Stateless checks shared by the v1 and v1beta1 forms. */
export function checkSubmission(s: Omit<Submission, 'proposer' | 'initialDeposit'>): void {
  if (s.title === '') throw ErrInvalidProposalContent.wrap('proposal title cannot be empty');
  if (s.summary === '') throw ErrInvalidProposalContent.wrap('proposal summary cannot be empty');
  if (s.messages.length === 0 && s.metadata === '') throw ErrNoProposalMsgs.wrap('either metadata or Msgs length must be non-nil');
  checkMetadata(s.metadata);
  if (s.title.length > MAX_METADATA_LEN) throw ErrMetadataTooLong.wrap(`got metadata with length ${s.title.length}`);
  if (s.summary.length > MAX_SUMMARY_LEN) throw ErrSummaryTooLong.wrap(`got summary with length ${s.summary.length}`);
}

/** Stores the proposal and its initial deposit; returns its id. */
export async function submit(k: GovKeeper, ctx: Context, s: Submission): Promise<bigint> {
  await k.checkInitialDeposit(ctx.store, s.initialDeposit);
  const proposal = await k.submitProposal(ctx, { ...s, proposer: ctx.addresses.encode(s.proposer) });
  if (s.initialDeposit.length > 0 && (await k.addDeposit(ctx, proposal.id, s.proposer, s.initialDeposit))) {
    ctx.events.emit('submit_proposal', { voting_period_start: String(proposal.id) });
  }
  return proposal.id;
}

export function decodeProposer(ctx: Context, proposer: string): Uint8Array {
  try {
    return ctx.addresses.decode(proposer);
  } catch (err) {
    throw ErrInvalidAddress.wrap(`invalid proposer address: ${(err as Error).message}`);
  }
}

export function msgSubmitProposal(k: GovKeeper, authority: Uint8Array): MsgHandler<MsgSubmitProposal> {
  return {
    typeUrl: GOV_TYPE_URLS.MsgSubmitProposal,
    decode: (bytes) => MsgSubmitProposal.decode(bytes),
    signers: (msg) => [msg.proposer],

    validate(msg, ctx) {
      decodeProposer(ctx, msg.proposer);
      checkSubmission(msg);
      parseCoins(msg.initialDeposit, true);
      if (msg.expedited) throw ErrInvalidProposal.wrap('expedited proposals are not supported by Cairn: submit it with expedited false');
      checkProposalMessages(k.router, authority, msg.messages, ctx);
    },

    async execute(msg, ctx) {
      const id = await submit(k, ctx, { ...msg, proposer: decodeProposer(ctx, msg.proposer), initialDeposit: parseCoins(msg.initialDeposit, true) });
      return msgResponse(GOV_TYPE_URLS.MsgSubmitProposal, MsgSubmitProposalResponse, { proposalId: id });
    },
  };
}
