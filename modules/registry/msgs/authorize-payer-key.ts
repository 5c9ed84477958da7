// MsgAuthorizePayerKey: a payer (a gateway, or a direct-host customer) authorises an ed25519 key to
// sign receipts on its behalf, from this height on. A revoked key stays revoked: a leaked key that was
// revoked must never sign again, so it cannot be re-authorised.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgAuthorizePayerKey, MsgAuthorizePayerKeyResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { ErrPayerKeyExists, ErrPayerKeyRevoked, ErrTooManyPayerKeys } from '../errors.ts';
import { EVENTS, hex } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { checkEd25519Key, checkLabel, decodeAddress } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

export function msgAuthorizePayerKey(registry: RegistryKeeper): MsgHandler<MsgAuthorizePayerKey> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgAuthorizePayerKey,
    decode: (bytes) => MsgAuthorizePayerKey.decode(bytes),
    signers: (msg) => [msg.payer],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.payer, 'payer');
      checkEd25519Key(msg.key, 'key');
      checkLabel(msg.label);
    },

    async execute(msg, ctx) {
      const payer = ctx.addresses.decode(msg.payer);
      const existing = await keys.payerKeys.get(ctx.store, [payer, msg.key]);
      if (existing !== undefined) {
        if (existing.revokedHeight !== 0n) throw ErrPayerKeyRevoked.wrap(`${hex(msg.key)} was revoked at height ${existing.revokedHeight}`);
        throw ErrPayerKeyExists.wrap(`${hex(msg.key)} since height ${existing.authorizedHeight}`);
      }
      const params = await registry.params(ctx.store);
      let active = 0;
      for await (const [, k] of keys.payerKeys.entries(ctx.store, { subPrefix: keys.addressPrefix(payer) })) if (k.revokedHeight === 0n) active++;
      if (active >= params.maxPayerKeys) throw ErrTooManyPayerKeys.wrap(`${active} keys authorised; max_payer_keys is ${params.maxPayerKeys}`);
      keys.payerKeys.set(ctx.store, [payer, msg.key], { payer: msg.payer, key: msg.key, label: msg.label, authorizedHeight: ctx.block.height, revokedHeight: 0n });
      ctx.events.emit(EVENTS.authorizePayerKey, { payer: msg.payer, key: hex(msg.key) });
      return msgResponse(REGISTRY_TYPE_URLS.MsgAuthorizePayerKey, MsgAuthorizePayerKeyResponse, {});
    },
  };
}
