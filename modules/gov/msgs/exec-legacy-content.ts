// MsgExecLegacyContent: what a v1beta1 proposal's content becomes inside a v1 proposal. Only the
// gov account runs it (when the proposal passes); a TextProposal, the one content Cairn handles,
// does nothing.
import { MsgExecLegacyContent, MsgExecLegacyContentResponse } from 'cosmjs-types/cosmos/gov/v1/tx';
import { requireAuthority } from '../../../core/framework/authority.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { GOV_TYPE_URLS } from '../../../sdk/gov/messages.ts';
import { checkLegacyContent } from '../proposal-msgs.ts';

export function msgExecLegacyContent(authority: Uint8Array): MsgHandler<MsgExecLegacyContent> {
  return {
    typeUrl: GOV_TYPE_URLS.MsgExecLegacyContent,
    decode: (bytes) => MsgExecLegacyContent.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      requireAuthority(ctx.addresses, authority, msg.authority);
      checkLegacyContent(msg.content);
    },

    async execute() {
      return msgResponse(GOV_TYPE_URLS.MsgExecLegacyContent, MsgExecLegacyContentResponse, {});
    },
  };
}
