// MsgUpdateParams: replaces every auth param. Only the app's params authority (the gov module
// account) may sign it; the new set passes the same checks as genesis.
import { MsgUpdateParams, MsgUpdateParamsResponse } from 'cosmjs-types/cosmos/auth/v1beta1/tx';
import { checkNewParams, requireAuthority } from '../../../core/framework/authority.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { AUTH_TYPE_URLS } from '../../../sdk/auth/messages.ts';
import * as keys from '../keys.ts';
import { validateParams } from '../params.ts';

export function msgUpdateParams(authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: AUTH_TYPE_URLS.MsgUpdateParams,
    decode: (bytes) => MsgUpdateParams.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      requireAuthority(ctx.addresses, authority, msg.authority);
      checkNewParams(() => validateParams(msg.params));
    },

    async execute(msg, ctx) {
      keys.params.set(ctx.store, msg.params);
      return msgResponse(AUTH_TYPE_URLS.MsgUpdateParams, MsgUpdateParamsResponse, {});
    },
  };
}
