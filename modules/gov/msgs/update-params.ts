// MsgUpdateParams (cosmos.gov.v1): replaces gov's own params. Only the params authority (the gov
// module account, so: a passed proposal) may sign it; the new set passes the check genesis runs.
import { MsgUpdateParams, MsgUpdateParamsResponse } from 'cosmjs-types/cosmos/gov/v1/tx';
import { checkNewParams, requireAuthority } from '../../../core/framework/authority.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { GOV_TYPE_URLS } from '../../../sdk/gov/messages.ts';
import * as keys from '../keys.ts';
import { normalizeParams, parseParams } from '../params.ts';

export function msgUpdateParams(authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: GOV_TYPE_URLS.MsgUpdateParams,
    decode: (bytes) => MsgUpdateParams.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      requireAuthority(ctx.addresses, authority, msg.authority);
      checkNewParams(() => parseParams(msg.params));
    },

    async execute(msg, ctx) {
      keys.params.set(ctx.store, normalizeParams(msg.params));
      return msgResponse(GOV_TYPE_URLS.MsgUpdateParams, MsgUpdateParamsResponse, {});
    },
  };
}
