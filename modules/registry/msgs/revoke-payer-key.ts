// MsgRevokePayerKey: the key stops being authorised from this height on. The record stays, so
// receipts it signed while authorised still verify.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgRevokePayerKey, MsgRevokePayerKeyResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { ErrPayerKeyNotFound } from '../errors.ts';
import { EVENTS, hex } from '../events.ts';
import * as keys from '../keys.ts';
import { checkEd25519Key, decodeAddress } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

export function msgRevokePayerKey(): MsgHandler<MsgRevokePayerKey> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgRevokePayerKey,
    decode: (bytes) => MsgRevokePayerKey.decode(bytes),
    signers: (msg) => [msg.payer],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.payer, 'payer');
      checkEd25519Key(msg.key, 'key');
    },

    async execute(msg, ctx) {
      const payer = ctx.addresses.decode(msg.payer);
      const existing = await keys.payerKeys.get(ctx.store, [payer, msg.key]);
      if (existing === undefined) throw ErrPayerKeyNotFound.wrap(`${hex(msg.key)} is not a key of ${msg.payer}`);
      if (existing.revokedHeight !== 0n) throw ErrPayerKeyNotFound.wrap(`${hex(msg.key)} was already revoked at height ${existing.revokedHeight}`);
      keys.payerKeys.set(ctx.store, [payer, msg.key], { ...existing, revokedHeight: ctx.block.height });
      ctx.events.emit(EVENTS.revokePayerKey, { payer: msg.payer, key: hex(msg.key) });
      return msgResponse(REGISTRY_TYPE_URLS.MsgRevokePayerKey, MsgRevokePayerKeyResponse, {});
    },
  };
}
