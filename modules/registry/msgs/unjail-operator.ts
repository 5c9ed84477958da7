// MsgUnjailOperator: a jailed operator returns once its jail period is over (the keeper's unjail:
// active if its bond still meets the minimum, unbonding otherwise). Without it a jail for a
// data-unavailable, stale-attestation or fake-capacity fault would be permanent.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgUnjailOperator, MsgUnjailOperatorResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import type { RegistryKeeper } from '../keeper.ts';
import { decodeAddress } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

export function msgUnjailOperator(registry: RegistryKeeper): MsgHandler<MsgUnjailOperator> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgUnjailOperator,
    decode: (bytes) => MsgUnjailOperator.decode(bytes),
    signers: (msg) => [msg.operator],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.operator, 'operator');
    },

    async execute(msg, ctx) {
      const address = ctx.addresses.decode(msg.operator);
      await registry.unjail(ctx, address);
      const op = await registry.requireOperator(ctx.store, address, msg.operator);
      return msgResponse(REGISTRY_TYPE_URLS.MsgUnjailOperator, MsgUnjailOperatorResponse, { status: op.status });
    },
  };
}
