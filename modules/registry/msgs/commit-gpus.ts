// MsgCommitGpus: replaces the operator's GPU commitments. A GPU that disappears, or loses the TEE
// type of its current attestation, loses that attestation. Committing capacity earns nothing by itself.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgCommitGpus, MsgCommitGpusResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { TeeType } from '../../../proto/gen/cairn/registry/v1/types.ts';
import { ErrInvalidPrice, ErrTooManyGpus } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { checkGpus, decodeAddress } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

export function msgCommitGpus(registry: RegistryKeeper): MsgHandler<MsgCommitGpus> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgCommitGpus,
    decode: (bytes) => MsgCommitGpus.decode(bytes),
    signers: (msg) => [msg.operator],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.operator, 'operator');
      checkGpus(msg.gpus);
    },

    async execute(msg, ctx) {
      const address = ctx.addresses.decode(msg.operator);
      await registry.requireListedOperator(ctx.store, address, msg.operator);
      const params = await registry.params(ctx.store);
      if (msg.gpus.length > params.maxGpusPerOperator) {
        throw ErrTooManyGpus.wrap(`${msg.gpus.length} commitments; max_gpus_per_operator is ${params.maxGpusPerOperator}`);
      }
      for (const [i, g] of msg.gpus.entries()) {
        if (g.pricePerHour!.denom !== params.priceDenom) {
          throw ErrInvalidPrice.wrap(`gpus[${i}].price_per_hour is in ${g.pricePerHour!.denom}; prices are in ${params.priceDenom}`);
        }
      }
      const next = new Map(msg.gpus.map((g) => [g.id, g]));
      for (const old of await registry.gpusOf(ctx.store, address)) keys.gpus.delete(ctx.store, [address, old.id]);
      const pointers: [string, Uint8Array][] = [];
      for await (const [[, gpuId], id] of keys.currentAttestations.entries(ctx.store, { subPrefix: keys.addressPrefix(address) })) pointers.push([gpuId, id]);
      for (const [gpuId, id] of pointers) {
        const gpu = next.get(gpuId);
        const attestation = await keys.attestations.get(ctx.store, id);
        const stillHolds = gpu !== undefined && attestation !== undefined && (attestation.teeType === TeeType.TEE_TYPE_NONE || gpu.teeTypes.includes(attestation.teeType));
        if (!stillHolds) keys.currentAttestations.delete(ctx.store, [address, gpuId]);
      }
      for (const g of msg.gpus) keys.gpus.set(ctx.store, [address, g.id], g);
      const total = msg.gpus.reduce((n, g) => n + g.count, 0);
      ctx.events.emit(EVENTS.commitGpus, { operator: msg.operator, commitments: String(msg.gpus.length), gpus: String(total) });
      return msgResponse(REGISTRY_TYPE_URLS.MsgCommitGpus, MsgCommitGpusResponse, {});
    },
  };
}
