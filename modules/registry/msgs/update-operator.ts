// MsgUpdateOperator: replaces the listing (moniker, endpoints, region, linked hosts).
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgUpdateOperator, MsgUpdateOperatorResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import type { Params } from '../../../proto/gen/cairn/registry/v1/types.ts';
import { ErrInvalidEndpoint, ErrInvalidLinkedHost } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import { checkEndpoints, checkLinkedHosts, checkMoniker, checkRegion, decodeAddress } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

/** The params' caps on endpoints and linked hosts. */
export function checkListingLimits(msg: { endpoints: readonly string[]; linkedHosts: readonly string[] }, params: Params): void {
  if (msg.endpoints.length > params.maxEndpoints) {
    throw ErrInvalidEndpoint.wrap(`${msg.endpoints.length} endpoints; max_endpoints is ${params.maxEndpoints}`);
  }
  if (msg.linkedHosts.length > params.maxLinkedHosts) {
    throw ErrInvalidLinkedHost.wrap(`${msg.linkedHosts.length} linked hosts; max_linked_hosts is ${params.maxLinkedHosts}`);
  }
}

export function msgUpdateOperator(registry: RegistryKeeper): MsgHandler<MsgUpdateOperator> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgUpdateOperator,
    decode: (bytes) => MsgUpdateOperator.decode(bytes),
    signers: (msg) => [msg.operator],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.operator, 'operator');
      checkMoniker(msg.moniker);
      checkEndpoints(msg.endpoints);
      checkRegion(msg.region);
      checkLinkedHosts(msg.linkedHosts);
    },

    async execute(msg, ctx) {
      const address = ctx.addresses.decode(msg.operator);
      const op = await registry.requireListedOperator(ctx.store, address, msg.operator);
      checkListingLimits(msg, await registry.params(ctx.store));
      registry.setOperator(ctx.store, address, { ...op, moniker: msg.moniker, endpoints: msg.endpoints, region: msg.region, linkedHosts: msg.linkedHosts });
      ctx.events.emit(EVENTS.updateOperator, { operator: msg.operator, region: msg.region });
      return msgResponse(REGISTRY_TYPE_URLS.MsgUpdateOperator, MsgUpdateOperatorResponse, {});
    },
  };
}
