// feegrant genesis in the SDK's JSON shape: { "allowances": [{ "granter", "grantee", "allowance":
// { "@type": "/cosmos.feegrant.v1beta1.BasicAllowance", "spend_limit": [...], "expiration": null } }] }.
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { AllowedMsgAllowance, BasicAllowance, type Grant, PeriodicAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { AddressCodec } from '../../core/framework/address.ts';
import { toProtoCoins } from '../../core/framework/coins.ts';
import type { Context, QueryContext } from '../../core/framework/context.ts';
import { GenesisError, array, at, object, string } from '../../core/framework/json.ts';
import type { GenesisHandlers } from '../../core/framework/module.ts';
import { durationFromJson, durationToJson, timestampFromJson, timestampToJson } from '../../core/framework/timestamps.ts';
import { FEEGRANT_TYPE_URLS } from '../../sdk/feegrant/messages.ts';
import { type Allowance, type Basic, decodeAllowance } from './allowance.ts';
import type { FeegrantKeeper } from './keeper.ts';
import * as keys from './keys.ts';

export interface FeegrantGenesis {
  readonly grants: readonly { granter: Uint8Array; grantee: Uint8Array; allowance: Allowance }[];
}

export function feegrantGenesis(k: FeegrantKeeper): GenesisHandlers<FeegrantGenesis> {
  return {
    defaultGenesis: () => ({ allowances: [] }),

    validate(json, addresses: AddressCodec) {
      const g = object(json, 'feegrant');
      const seen = new Set<string>();
      const grants = array(g['allowances'], 'feegrant.allowances').map((raw, i) => {
        const path = `feegrant.allowances[${i}]`;
        const e = object(raw, path);
        const granterText = string(e['granter'], `${path}.granter`);
        const granteeText = string(e['grantee'], `${path}.grantee`);
        const granter = at(`${path}.granter`, () => addresses.decode(granterText));
        const grantee = at(`${path}.grantee`, () => addresses.decode(granteeText));
        if (granterText === granteeText) throw new GenesisError(`${path}: a granter cannot grant itself`);
        if (seen.has(`${granterText}/${granteeText}`)) throw new GenesisError(`${path}: a second allowance from ${granterText} to ${granteeText}`);
        seen.add(`${granterText}/${granteeText}`);
        const allowance = at(`${path}.allowance`, () => decodeAllowance(allowanceFromJson(e['allowance'], `${path}.allowance`)));
        return { granter, grantee, allowance };
      });
      return { grants };
    },

    async init(genesis, ctx: Context) {
      for (const g of genesis.grants) k.restore(ctx, g.granter, g.grantee, g.allowance);
    },

    async export(ctx: QueryContext) {
      const allowances: unknown[] = [];
      for await (const [, grant] of keys.grants.entries(ctx.store)) allowances.push(grantToJson(grant));
      return { allowances };
    },
  };
}

function grantToJson(grant: Grant): unknown {
  return { granter: grant.granter, grantee: grant.grantee, allowance: allowanceToJson(decodeAllowance(grant.allowance)) };
}

const coinsJson = (c: Basic['spendLimit']): Coin[] => toProtoCoins(c);

function basicJson(b: Basic): Record<string, unknown> {
  return { spend_limit: coinsJson(b.spendLimit), expiration: b.expiration === undefined ? null : timestampToJson(b.expiration) };
}

export function allowanceToJson(a: Allowance): Record<string, unknown> {
  switch (a.kind) {
    case 'basic':
      return { '@type': FEEGRANT_TYPE_URLS.BasicAllowance, ...basicJson(a) };
    case 'periodic':
      return {
        '@type': FEEGRANT_TYPE_URLS.PeriodicAllowance,
        basic: basicJson(a.basic),
        period: durationToJson(a.period),
        period_spend_limit: coinsJson(a.periodSpendLimit),
        period_can_spend: coinsJson(a.periodCanSpend),
        period_reset: timestampToJson(a.periodReset),
      };
    case 'allowed-msgs':
      return { '@type': FEEGRANT_TYPE_URLS.AllowedMsgAllowance, allowance: allowanceToJson(a.allowance), allowed_messages: [...a.allowedMessages] };
  }
}

function coinsFromJson(json: unknown, path: string): Coin[] {
  return array(json, path).map((c, i) => {
    const coin = object(c, `${path}[${i}]`);
    return { denom: string(coin['denom'], `${path}[${i}].denom`), amount: string(coin['amount'], `${path}[${i}].amount`) };
  });
}

function basicFromJson(json: unknown, path: string): BasicAllowance {
  const b = object(json, path);
  const text = b['expiration'];
  const expiration = text === undefined || text === null ? undefined : at(`${path}.expiration`, () => timestampFromJson(string(text, `${path}.expiration`)));
  return { spendLimit: coinsFromJson(b['spend_limit'], `${path}.spend_limit`), ...(expiration === undefined ? {} : { expiration }) };
}

/** The SDK's JSON of an allowance back to its Any (checked afterwards by decodeAllowance). */
function allowanceFromJson(json: unknown, path: string): Any {
  const a = object(json, path);
  const type = string(a['@type'], `${path}.@type`);
  switch (type) {
    case FEEGRANT_TYPE_URLS.BasicAllowance:
      return { typeUrl: type, value: BasicAllowance.encode(basicFromJson(a, path)).finish() };
    case FEEGRANT_TYPE_URLS.PeriodicAllowance: {
      const read = <T>(k: string, parse: (text: string) => T): T => at(`${path}.${k}`, () => parse(string(a[k], `${path}.${k}`)));
      const value: PeriodicAllowance = {
        basic: basicFromJson(a['basic'], `${path}.basic`),
        period: read('period', durationFromJson),
        periodSpendLimit: coinsFromJson(a['period_spend_limit'], `${path}.period_spend_limit`),
        periodCanSpend: coinsFromJson(a['period_can_spend'], `${path}.period_can_spend`),
        periodReset: read('period_reset', timestampFromJson),
      };
      return { typeUrl: type, value: PeriodicAllowance.encode(value).finish() };
    }
    case FEEGRANT_TYPE_URLS.AllowedMsgAllowance: {
      const value: AllowedMsgAllowance = {
        allowance: allowanceFromJson(a['allowance'], `${path}.allowance`),
        allowedMessages: array(a['allowed_messages'], `${path}.allowed_messages`).map((m, i) => string(m, `${path}.allowed_messages[${i}]`)),
      };
      return { typeUrl: type, value: AllowedMsgAllowance.encode(value).finish() };
    }
    default:
      throw new GenesisError(`${path}.@type: "${type}" is not a fee allowance type`);
  }
}
