// MsgRotateReceiptKey: a new receipt key from this block on. The old key is kept as retired with its
// window [valid_from, rotation height + 1): receipts it signed up to and including the rotation
// block still verify, and no operator can ever register it again.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgRotateReceiptKey, MsgRotateReceiptKeyResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { ErrReceiptKeyInUse } from '../errors.ts';
import { EVENTS, hex } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { checkEd25519Key, decodeAddress } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

export function msgRotateReceiptKey(registry: RegistryKeeper): MsgHandler<MsgRotateReceiptKey> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgRotateReceiptKey,
    decode: (bytes) => MsgRotateReceiptKey.decode(bytes),
    signers: (msg) => [msg.operator],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.operator, 'operator');
      checkEd25519Key(msg.newKey, 'new_key');
    },

    async execute(msg, ctx) {
      const address = ctx.addresses.decode(msg.operator);
      const op = await registry.requireListedOperator(ctx.store, address, msg.operator);
      if ((await keys.receiptKeyOwners.get(ctx.store, msg.newKey)) !== undefined) {
        throw ErrReceiptKeyInUse.wrap(`receipt key ${hex(msg.newKey)}`);
      }
      keys.retiredKeys.set(ctx.store, [address, op.receiptKey], {
        key: op.receiptKey,
        validFrom: op.receiptKeySince,
        validUntil: ctx.block.height + 1n,
      });
      keys.receiptKeyOwners.set(ctx.store, msg.newKey, address);
      registry.setOperator(ctx.store, address, { ...op, receiptKey: msg.newKey, receiptKeySince: ctx.block.height });
      ctx.events.emit(EVENTS.rotateReceiptKey, { operator: msg.operator, old_key: hex(op.receiptKey), new_key: hex(msg.newKey) });
      return msgResponse(REGISTRY_TYPE_URLS.MsgRotateReceiptKey, MsgRotateReceiptKeyResponse, {});
    },
  };
}
