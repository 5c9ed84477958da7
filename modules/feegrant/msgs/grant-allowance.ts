// MsgGrantAllowance: the granter lets the grantee spend its coins on fees, up to the allowance.
import { MsgGrantAllowance, MsgGrantAllowanceResponse } from 'cosmjs-types/cosmos/feegrant/v1beta1/tx';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ErrInvalidAddress, ErrInvalidRequest, ErrUnauthorized } from '../../../core/framework/sdk-errors.ts';
import { FEEGRANT_TYPE_URLS } from '../../../sdk/feegrant/messages.ts';
import { decodeNamed } from '../../bank/msgs/send.ts';
import { decodeAllowance, startPeriod } from '../allowance.ts';
import type { FeegrantAccounts } from '../deps.ts';
import type { FeegrantKeeper } from '../keeper.ts';

export function msgGrantAllowance(k: FeegrantKeeper, accounts: FeegrantAccounts): MsgHandler<MsgGrantAllowance> {
  return {
    typeUrl: FEEGRANT_TYPE_URLS.MsgGrantAllowance,
    decode: (bytes) => MsgGrantAllowance.decode(bytes),
    signers: (msg) => [msg.granter],

    validate(msg, ctx) {
      decodeNamed(ctx.addresses, msg.granter, 'granter');
      decodeNamed(ctx.addresses, msg.grantee, 'grantee');
      if (msg.granter === msg.grantee) throw ErrInvalidAddress.wrap('cannot self-grant fee authorization');
      decodeAllowance(msg.allowance);
    },

    async execute(msg, ctx) {
      const granter = ctx.addresses.decode(msg.granter);
      const grantee = ctx.addresses.decode(msg.grantee);
      if ((await k.grant(ctx.store, granter, grantee)) !== undefined) throw ErrInvalidRequest.wrap('fee allowance already exists');
      if ((await accounts.get(ctx.store, grantee))?.kind === 'module') throw ErrUnauthorized.wrap(`${msg.grantee} is not allowed to receive funds`);
      await accounts.ensure(ctx.store, grantee, msg.grantee);
      k.save(ctx, granter, grantee, startPeriod(decodeAllowance(msg.allowance), ctx.block.time));
      ctx.events.emit('set_feegrant', { granter: msg.granter, grantee: msg.grantee });
      return msgResponse(FEEGRANT_TYPE_URLS.MsgGrantAllowance, MsgGrantAllowanceResponse, {});
    },
  };
}
