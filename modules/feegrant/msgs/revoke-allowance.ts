// MsgRevokeAllowance: the granter withdraws an allowance it gave.
import { MsgRevokeAllowance, MsgRevokeAllowanceResponse } from 'cosmjs-types/cosmos/feegrant/v1beta1/tx';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ErrInvalidAddress } from '../../../core/framework/sdk-errors.ts';
import { FEEGRANT_TYPE_URLS } from '../../../sdk/feegrant/messages.ts';
import { decodeNamed } from '../../bank/msgs/send.ts';
import { ErrNoAllowance } from '../errors.ts';
import type { FeegrantKeeper } from '../keeper.ts';

export function msgRevokeAllowance(k: FeegrantKeeper): MsgHandler<MsgRevokeAllowance> {
  return {
    typeUrl: FEEGRANT_TYPE_URLS.MsgRevokeAllowance,
    decode: (bytes) => MsgRevokeAllowance.decode(bytes),
    signers: (msg) => [msg.granter],

    validate(msg, ctx) {
      decodeNamed(ctx.addresses, msg.granter, 'granter');
      decodeNamed(ctx.addresses, msg.grantee, 'grantee');
      if (msg.granter === msg.grantee) throw ErrInvalidAddress.wrap('addresses must be different');
    },

    async execute(msg, ctx) {
      const granter = ctx.addresses.decode(msg.granter);
      const grantee = ctx.addresses.decode(msg.grantee);
      if ((await k.grant(ctx.store, granter, grantee)) === undefined) throw ErrNoAllowance.wrap('fee-grant not found');
      await k.revoke(ctx, granter, grantee);
      return msgResponse(FEEGRANT_TYPE_URLS.MsgRevokeAllowance, MsgRevokeAllowanceResponse, {});
    },
  };
}
