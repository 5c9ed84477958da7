// MsgSubmitProposal (cosmos.gov.v1beta1), as the SDK 0.50 serves it: the content (a TextProposal)
// becomes a v1 proposal holding one MsgExecLegacyContent signed by the gov account, titled and
// summarised from the content.
import { MsgExecLegacyContent } from 'cosmjs-types/cosmos/gov/v1/tx';
import { MsgSubmitProposal, MsgSubmitProposalResponse } from 'cosmjs-types/cosmos/gov/v1beta1/tx';
import { parseCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { GOV_TYPE_URLS, GOV_V1BETA1_TYPE_URLS } from '../../../sdk/gov/messages.ts';
import type { GovKeeper } from '../keeper.ts';
import { checkLegacyContent } from '../proposal-msgs.ts';
import { decodeProposer, submit } from './submit-proposal.ts';

export function msgSubmitProposalV1beta1(k: GovKeeper, authority: Uint8Array): MsgHandler<MsgSubmitProposal> {
  return {
    typeUrl: GOV_V1BETA1_TYPE_URLS.MsgSubmitProposal,
    decode: (bytes) => MsgSubmitProposal.decode(bytes),
    signers: (msg) => [msg.proposer],

    validate(msg, ctx) {
      decodeProposer(ctx, msg.proposer);
      checkLegacyContent(msg.content);
      parseCoins(msg.initialDeposit, true);
    },

    async execute(msg, ctx) {
      const text = checkLegacyContent(msg.content);
      const exec = { typeUrl: GOV_TYPE_URLS.MsgExecLegacyContent, value: MsgExecLegacyContent.encode({ content: msg.content!, authority: ctx.addresses.encode(authority) }).finish() };
      const id = await submit(k, ctx, {
        messages: [exec],
        initialDeposit: parseCoins(msg.initialDeposit, true),
        proposer: decodeProposer(ctx, msg.proposer),
        metadata: '',
        title: text.title,
        summary: text.description,
      });
      return msgResponse(GOV_V1BETA1_TYPE_URLS.MsgSubmitProposal, MsgSubmitProposalResponse, { proposalId: id });
    },
  };
}
