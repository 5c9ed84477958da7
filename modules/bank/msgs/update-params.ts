// MsgUpdateParams: replaces the bank params. Only the app's params authority (the gov module
// account) may sign it; the new set passes the same check as genesis.
import { MsgUpdateParams, MsgUpdateParamsResponse } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { checkNewParams, requireAuthority } from '../../../core/framework/authority.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { BANK_TYPE_URLS } from '../../../sdk/bank/messages.ts';
import * as keys from '../keys.ts';
import { validateParams } from '../params.ts';

export function msgUpdateParams(authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: BANK_TYPE_URLS.MsgUpdateParams,
    decode: (bytes) => MsgUpdateParams.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      requireAuthority(ctx.addresses, authority, msg.authority);
      checkNewParams(() => validateParams(msg.params));
    },

    async execute(msg, ctx) {
      keys.params.set(ctx.store, msg.params);
      return msgResponse(BANK_TYPE_URLS.MsgUpdateParams, MsgUpdateParamsResponse, {});
    },
  };
}
