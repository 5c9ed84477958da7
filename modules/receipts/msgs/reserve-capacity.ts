// MsgReserveCapacity: a payer reserves `gpu_count` GPUs of one of an active operator's reservable
// GPU commitments for `hours`, at the listed price per GPU-hour. The price moves from the payer's
// account into escrow now; the operator must StartReservation within start_window blocks.
import { formatCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgReserveCapacity, MsgReserveCapacityResponse } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { ReservationStatus } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { U128_MAX } from '../../../sdk/bytes.ts';
import { ErrInvalidReservation, ErrNotReservable, ErrOperatorNotActive } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { ReceiptsKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { decodeAddress } from './common.ts';
import { RECEIPTS_TYPE_URLS } from '../../../sdk/receipts/messages.ts';

export function msgReserveCapacity(k: ReceiptsKeeper): MsgHandler<MsgReserveCapacity> {
  return {
    typeUrl: RECEIPTS_TYPE_URLS.MsgReserveCapacity,
    decode: (bytes) => MsgReserveCapacity.decode(bytes),
    signers: (msg) => [msg.payer],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.payer, 'payer');
      decodeAddress(ctx.addresses, msg.operator, 'operator');
      if (msg.payer === msg.operator) throw ErrInvalidReservation.wrap('an operator cannot reserve its own GPUs');
      if (msg.gpuId === '' || msg.gpuId.length > 128) throw ErrInvalidReservation.wrap('gpu_id is empty or too long');
      if (msg.gpuCount === 0) throw ErrInvalidReservation.wrap('gpu_count must be at least 1');
      if (msg.hours === 0n) throw ErrInvalidReservation.wrap('hours must be at least 1');
    },

    async execute(msg, ctx) {
      const p = await k.params(ctx.store);
      if (msg.hours > p.maxReservationHours) throw ErrInvalidReservation.wrap(`${msg.hours} hours exceeds max_reservation_hours ${p.maxReservationHours}`);
      const operator = ctx.addresses.decode(msg.operator);
      if (!(await k.registry.isActiveOperator(ctx.store, operator))) throw ErrOperatorNotActive.wrap(msg.operator);
      const gpu = (await k.registry.gpusOf(ctx.store, operator)).find((g) => g.id === msg.gpuId);
      if (gpu === undefined) throw ErrInvalidReservation.wrap(`${msg.operator} has no GPU ${msg.gpuId}`);
      if (!gpu.reservable) throw ErrNotReservable.wrap(`${msg.operator}/${msg.gpuId}`);
      if (msg.gpuCount > gpu.count) throw ErrInvalidReservation.wrap(`the commitment has ${gpu.count} GPUs; asked ${msg.gpuCount}`);
      const price = gpu.pricePerHour!;
      const total = BigInt(price.amount) * BigInt(msg.gpuCount) * msg.hours;
      if (total === 0n || total > U128_MAX) throw ErrInvalidReservation.wrap(`price ${total}${price.denom} is zero or does not fit in 128 bits`);
      const amount = { denom: price.denom, amount: total };
      const payer = ctx.addresses.decode(msg.payer);
      await k.bank.sendToModule(ctx, payer, keys.ESCROW_ACCOUNT, [amount]);
      const id = await k.takeId(ctx.store, keys.nextReservationId);
      const startDeadline = ctx.block.height + p.startWindow;
      keys.reservations.set(ctx.store, id, {
        id,
        payer: msg.payer,
        operator: msg.operator,
        gpuId: msg.gpuId,
        gpuCount: msg.gpuCount,
        hours: msg.hours,
        amount: { denom: price.denom, amount: total.toString() },
        status: ReservationStatus.RESERVATION_STATUS_RESERVED,
        createdHeight: ctx.block.height,
        startDeadline,
        startedHeight: 0n,
        endsAt: 0n,
        split: undefined,
        fault: undefined,
      });
      keys.reservationsByPayer.set(ctx.store, [payer, id], true);
      keys.reservationsByOperator.set(ctx.store, [operator, id], true);
      ctx.events.emit(EVENTS.reserve, { reservation_id: id.toString(), payer: msg.payer, operator: msg.operator, gpu_id: msg.gpuId, amount: formatCoins([amount]), start_deadline: startDeadline.toString() });
      return msgResponse(RECEIPTS_TYPE_URLS.MsgReserveCapacity, MsgReserveCapacityResponse, { reservationId: id, amount: { denom: price.denom, amount: total.toString() }, startDeadline });
    },
  };
}
