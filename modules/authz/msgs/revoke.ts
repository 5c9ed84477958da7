// MsgRevoke: the granter withdraws the grant for one message type.
import { MsgRevoke, MsgRevokeResponse } from 'cosmjs-types/cosmos/authz/v1beta1/tx';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ErrInvalidRequest } from '../../../core/framework/sdk-errors.ts';
import { AUTHZ_TYPE_URLS } from '../../../sdk/authz/messages.ts';
import { decodeNamed } from '../../bank/msgs/send.ts';
import { ErrGranteeIsGranter, ErrNoAuthorizationFound } from '../errors.ts';
import { emitGrantEvent } from '../events.ts';
import type { AuthzKeeper } from '../keeper.ts';

export function msgRevoke(k: AuthzKeeper): MsgHandler<MsgRevoke> {
  return {
    typeUrl: AUTHZ_TYPE_URLS.MsgRevoke,
    decode: (bytes) => MsgRevoke.decode(bytes),
    signers: (msg) => [msg.granter],

    validate(msg, ctx) {
      if (msg.granter.toLowerCase() === msg.grantee.toLowerCase()) throw ErrGranteeIsGranter.wrap(`granter and grantee are both ${msg.granter}`);
      decodeNamed(ctx.addresses, msg.grantee, 'grantee');
      decodeNamed(ctx.addresses, msg.granter, 'granter');
      if (msg.msgTypeUrl === '') throw ErrInvalidRequest.wrap('missing msg method name');
    },

    async execute(msg, ctx) {
      const granter = ctx.addresses.decode(msg.granter);
      const grantee = ctx.addresses.decode(msg.grantee);
      if ((await k.grant(ctx.store, granter, grantee, msg.msgTypeUrl)) === undefined) {
        throw ErrNoAuthorizationFound.wrap(`failed to delete grant of ${msg.msgTypeUrl} from ${msg.granter} to ${msg.grantee}`);
      }
      await k.delete(ctx, granter, grantee, msg.msgTypeUrl);
      emitGrantEvent(ctx, 'EventRevoke', { msgTypeUrl: msg.msgTypeUrl, granter: msg.granter, grantee: msg.grantee });
      return msgResponse(AUTHZ_TYPE_URLS.MsgRevoke, MsgRevokeResponse, {});
    },
  };
}
