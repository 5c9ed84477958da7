// MsgReportRefusal: the payer of a reservation its operator did not start within start_window gets
// its payment back, and the operator is slashed refusal_bps (reserved-job refusal; the payer, who
// proved it, receives the challenger's share).
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgReportRefusal, MsgReportRefusalResponse } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { FaultKind, ReservationStatus } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { ErrNotReservationParty, ErrReservationNotFound, ErrReservationState } from '../errors.ts';
import { EVENTS } from '../events.ts';
import { refusalEvidence } from '../../../sdk/receipts/evidence.ts';
import { punish } from '../faults.ts';
import type { ReceiptsKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { decodeAddress } from './common.ts';
import { RECEIPTS_TYPE_URLS } from '../../../sdk/receipts/messages.ts';

export function msgReportRefusal(k: ReceiptsKeeper): MsgHandler<MsgReportRefusal> {
  return {
    typeUrl: RECEIPTS_TYPE_URLS.MsgReportRefusal,
    decode: (bytes) => MsgReportRefusal.decode(bytes),
    signers: (msg) => [msg.payer],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.payer, 'payer');
    },

    async execute(msg, ctx) {
      const r = await keys.reservations.get(ctx.store, msg.reservationId);
      if (r === undefined) throw ErrReservationNotFound.wrap(`reservation ${msg.reservationId}`);
      if (r.payer !== msg.payer) throw ErrNotReservationParty.wrap(`reservation ${r.id} belongs to ${r.payer}`);
      if (r.status !== ReservationStatus.RESERVATION_STATUS_RESERVED) throw ErrReservationState.wrap(`reservation ${r.id} is not waiting to start`);
      if (ctx.block.height <= r.startDeadline) throw ErrReservationState.wrap(`the operator may start reservation ${r.id} until height ${r.startDeadline}`);
      const evidenceHash = refusalEvidence(r.id);
      await k.requireFreshEvidence(ctx.store, evidenceHash);
      const refund = { denom: r.amount!.denom, amount: BigInt(r.amount!.amount) };
      await k.sendFromEscrow(ctx, ctx.addresses.decode(r.payer), refund);
      const fault = await punish(k, ctx, r.operator, {
        kind: FaultKind.FAULT_KIND_RESERVATION_REFUSAL,
        detail: `reservation ${r.id} was not started by height ${r.startDeadline}`,
        prover: msg.payer,
        evidenceHash,
      });
      keys.reservations.set(ctx.store, r.id, { ...r, status: ReservationStatus.RESERVATION_STATUS_REFUSED, fault });
      ctx.events.emit(EVENTS.refusal, { reservation_id: r.id.toString(), payer: r.payer, operator: r.operator, refunded: `${r.amount!.amount}${r.amount!.denom}` });
      return msgResponse(RECEIPTS_TYPE_URLS.MsgReportRefusal, MsgReportRefusalResponse, { refunded: r.amount });
    },
  };
}
