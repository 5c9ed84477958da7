// MsgStartReservation: the operator starts a reservation within start_window. It runs for its hours
// from this block's time; the first block at or after its end pays the operator (protocol fee first).
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgStartReservation, MsgStartReservationResponse } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { ReservationStatus } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { ErrNotReservationParty, ErrReservationNotFound, ErrReservationState } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { ReceiptsKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { decodeAddress } from './common.ts';
import { RECEIPTS_TYPE_URLS } from '../../../sdk/receipts/messages.ts';

export function msgStartReservation(_k: ReceiptsKeeper): MsgHandler<MsgStartReservation> {
  return {
    typeUrl: RECEIPTS_TYPE_URLS.MsgStartReservation,
    decode: (bytes) => MsgStartReservation.decode(bytes),
    signers: (msg) => [msg.operator],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.operator, 'operator');
    },

    async execute(msg, ctx) {
      const r = await keys.reservations.get(ctx.store, msg.reservationId);
      if (r === undefined) throw ErrReservationNotFound.wrap(`reservation ${msg.reservationId}`);
      if (r.operator !== msg.operator) throw ErrNotReservationParty.wrap(`reservation ${r.id} is with ${r.operator}`);
      if (r.status !== ReservationStatus.RESERVATION_STATUS_RESERVED) throw ErrReservationState.wrap(`reservation ${r.id} is not waiting to start`);
      if (ctx.block.height > r.startDeadline) throw ErrReservationState.wrap(`reservation ${r.id} had to start by height ${r.startDeadline}`);
      const endsAt = ctx.block.time.seconds + r.hours * 3600n;
      keys.reservations.set(ctx.store, r.id, { ...r, status: ReservationStatus.RESERVATION_STATUS_ACTIVE, startedHeight: ctx.block.height, endsAt });
      keys.reservationEnds.set(ctx.store, [endsAt < 0n ? 0n : endsAt, r.id], true);
      ctx.events.emit(EVENTS.startReservation, { reservation_id: r.id.toString(), operator: r.operator, ends_at: endsAt.toString() });
      return msgResponse(RECEIPTS_TYPE_URLS.MsgStartReservation, MsgStartReservationResponse, { endsAt });
    },
  };
}
