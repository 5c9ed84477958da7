// MsgGrant: the granter lets the grantee run messages of one type for it, within the authorization.
import { MsgGrant, MsgGrantResponse } from 'cosmjs-types/cosmos/authz/v1beta1/tx';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ErrInvalidType, ErrUnauthorized } from '../../../core/framework/sdk-errors.ts';
import { compareTime, timestampToJson } from '../../../core/framework/timestamps.ts';
import { AUTHZ_TYPE_URLS } from '../../../sdk/authz/messages.ts';
import { decodeNamed } from '../../bank/msgs/send.ts';
import { decodeAuthorization, msgTypeUrl } from '../authorization.ts';
import type { AuthzAccounts, AuthzRouter } from '../deps.ts';
import { ErrGranteeIsGranter, ErrInvalidExpirationTime } from '../errors.ts';
import { emitGrantEvent } from '../events.ts';
import type { AuthzKeeper } from '../keeper.ts';

export function msgGrant(k: AuthzKeeper, accounts: AuthzAccounts, router: AuthzRouter): MsgHandler<MsgGrant> {
  return {
    typeUrl: AUTHZ_TYPE_URLS.MsgGrant,
    decode: (bytes) => MsgGrant.decode(bytes),
    signers: (msg) => [msg.granter],

    validate(msg, ctx) {
      if (msg.granter.toLowerCase() === msg.grantee.toLowerCase()) throw ErrGranteeIsGranter.wrap(`granter and grantee are both ${msg.granter}`);
      decodeNamed(ctx.addresses, msg.grantee, 'grantee');
      decodeNamed(ctx.addresses, msg.granter, 'granter');
      const type = msgTypeUrl(decodeAuthorization(msg.grant.authorization, ctx.addresses));
      if (!router.has(type)) throw ErrInvalidType.wrap(`${type} doesn't exist.`);
    },

    async execute(msg, ctx) {
      const granter = ctx.addresses.decode(msg.granter);
      const grantee = ctx.addresses.decode(msg.grantee);
      const authorization = decodeAuthorization(msg.grant.authorization, ctx.addresses);
      const expiration = msg.grant.expiration;
      if (expiration !== undefined && compareTime(expiration, ctx.block.time) <= 0) {
        throw ErrInvalidExpirationTime.wrap(`expiration must be after the current block time (${timestampToJson(ctx.block.time)}), got ${timestampToJson(expiration)}`);
      }
      if ((await accounts.get(ctx.store, grantee))?.kind === 'module') throw ErrUnauthorized.wrap(`account ${msg.grantee} is not allowed to receive funds`);
      await accounts.ensure(ctx.store, grantee, msg.grantee);
      await k.save(ctx, granter, grantee, authorization, expiration);
      emitGrantEvent(ctx, 'EventGrant', { msgTypeUrl: msgTypeUrl(authorization), granter: msg.granter, grantee: msg.grantee });
      return msgResponse(AUTHZ_TYPE_URLS.MsgGrant, MsgGrantResponse, {});
    },
  };
}
