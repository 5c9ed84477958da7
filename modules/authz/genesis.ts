// authz genesis in the SDK's JSON shape: { "authorization": [{ "granter", "grantee", "authorization":
// { "@type": "/cosmos.authz.v1beta1.GenericAuthorization", "msg": "…" }, "expiration": "…" | null }] }.
// As in the SDK, grants already expired at genesis time are dropped.
import { GenericAuthorization } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import { SendAuthorization } from 'cosmjs-types/cosmos/bank/v1beta1/authz';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { AddressCodec } from '../../core/framework/address.ts';
import { toProtoCoins } from '../../core/framework/coins.ts';
import type { Context, QueryContext } from '../../core/framework/context.ts';
import { GenesisError, array, at, object, string } from '../../core/framework/json.ts';
import type { GenesisHandlers } from '../../core/framework/module.ts';
import { timestampFromJson, timestampToJson } from '../../core/framework/timestamps.ts';
import { AUTHZ_TYPE_URLS } from '../../sdk/authz/messages.ts';
import { type Authorization, decodeAuthorization, msgTypeUrl } from './authorization.ts';
import { AuthzKeeper, isExpired } from './keeper.ts';
import * as keys from './keys.ts';

interface GenesisGrant {
  readonly granter: Uint8Array;
  readonly grantee: Uint8Array;
  readonly authorization: Authorization;
  readonly expiration: Timestamp | undefined;
}

export interface AuthzGenesis {
  readonly grants: readonly GenesisGrant[];
}

export function authzGenesis(k: AuthzKeeper): GenesisHandlers<AuthzGenesis> {
  return {
    defaultGenesis: () => ({ authorization: [] }),

    validate(json, addresses: AddressCodec) {
      const g = object(json, 'authz');
      const seen = new Set<string>();
      const grants = array(g['authorization'], 'authz.authorization').map((raw, i): GenesisGrant => {
        const path = `authz.authorization[${i}]`;
        const e = object(raw, path);
        const granterText = string(e['granter'], `${path}.granter`);
        const granteeText = string(e['grantee'], `${path}.grantee`);
        const granter = at(`${path}.granter`, () => addresses.decode(granterText));
        const grantee = at(`${path}.grantee`, () => addresses.decode(granteeText));
        if (granterText === granteeText) throw new GenesisError(`${path}: a granter cannot grant itself`);
        const authorization = at(`${path}.authorization`, () => decodeAuthorization(authorizationFromJson(e['authorization'], `${path}.authorization`), addresses));
        const key = `${granterText}/${granteeText}/${msgTypeUrl(authorization)}`;
        if (seen.has(key)) throw new GenesisError(`${path}: a second grant of ${msgTypeUrl(authorization)} from ${granterText} to ${granteeText}`);
        seen.add(key);
        const text = e['expiration'];
        const expiration = text === undefined || text === null ? undefined : at(`${path}.expiration`, () => timestampFromJson(string(text, `${path}.expiration`)));
        return { granter, grantee, authorization, expiration };
      });
      return { grants };
    },

    async init(genesis, ctx: Context) {
      for (const g of genesis.grants) {
        if (g.expiration !== undefined && isExpired({ expiration: g.expiration }, ctx.block.time)) continue;
        await k.save(ctx, g.granter, g.grantee, g.authorization, g.expiration);
      }
    },

    async export(ctx: QueryContext) {
      const authorization: unknown[] = [];
      for await (const [[granter, [grantee]], grant] of keys.grants.entries(ctx.store)) {
        authorization.push({
          granter: ctx.addresses.encode(granter),
          grantee: ctx.addresses.encode(grantee),
          authorization: authorizationToJson(decodeAuthorization(grant.authorization, ctx.addresses)),
          expiration: grant.expiration === undefined ? null : timestampToJson(grant.expiration),
        });
      }
      return { authorization };
    },
  };
}

function authorizationToJson(a: Authorization): Record<string, unknown> {
  return a.kind === 'generic'
    ? { '@type': AUTHZ_TYPE_URLS.GenericAuthorization, msg: a.msg }
    : { '@type': AUTHZ_TYPE_URLS.SendAuthorization, spend_limit: toProtoCoins(a.spendLimit), allow_list: [...a.allowList] };
}

function authorizationFromJson(json: unknown, path: string): { typeUrl: string; value: Uint8Array } {
  const a = object(json, path);
  const type = string(a['@type'], `${path}.@type`);
  if (type === AUTHZ_TYPE_URLS.GenericAuthorization) {
    return { typeUrl: type, value: GenericAuthorization.encode({ msg: string(a['msg'], `${path}.msg`) }).finish() };
  }
  if (type === AUTHZ_TYPE_URLS.SendAuthorization) {
    const spendLimit = array(a['spend_limit'], `${path}.spend_limit`).map((c, i) => {
      const coin = object(c, `${path}.spend_limit[${i}]`);
      return { denom: string(coin['denom'], `${path}.spend_limit[${i}].denom`), amount: string(coin['amount'], `${path}.spend_limit[${i}].amount`) };
    });
    const allowList = array(a['allow_list'], `${path}.allow_list`).map((x, i) => string(x, `${path}.allow_list[${i}]`));
    return { typeUrl: type, value: SendAuthorization.encode({ spendLimit, allowList }).finish() };
  }
  throw new GenesisError(`${path}.@type: "${type}" is not an authorization type (${AUTHZ_TYPE_URLS.GenericAuthorization}, ${AUTHZ_TYPE_URLS.SendAuthorization})`);
}
