// The receipts module's client face: escrow, receipt batches and their challenges, reservations.
// The only place its type URLs are spelled: the module's handlers register with them, and
// wallets, the CLI and the node's own signers build their messages with `receiptsMsgs`.
import * as tx from '../../proto/gen/cairn/receipts/v1/tx.ts';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { type AminoMessage, aminoConverters } from '../amino.ts';
import { cairnModuleAmino } from '../cairn-amino.ts';

export const RECEIPTS_TYPE_URLS = {
  MsgDepositEscrow: '/cairn.receipts.v1.MsgDepositEscrow',
  MsgWithdrawEscrow: '/cairn.receipts.v1.MsgWithdrawEscrow',
  MsgSubmitBatch: '/cairn.receipts.v1.MsgSubmitBatch',
  MsgRevealReceipt: '/cairn.receipts.v1.MsgRevealReceipt',
  MsgChallengeReceipt: '/cairn.receipts.v1.MsgChallengeReceipt',
  MsgChallengeDoubleClaim: '/cairn.receipts.v1.MsgChallengeDoubleClaim',
  MsgChallengeSum: '/cairn.receipts.v1.MsgChallengeSum',
  MsgRequestReceipt: '/cairn.receipts.v1.MsgRequestReceipt',
  MsgReserveCapacity: '/cairn.receipts.v1.MsgReserveCapacity',
  MsgStartReservation: '/cairn.receipts.v1.MsgStartReservation',
  MsgReportRefusal: '/cairn.receipts.v1.MsgReportRefusal',
  MsgUpdateParams: '/cairn.receipts.v1.MsgUpdateParams',
} as const;

export type ReceiptsMsgName = keyof typeof RECEIPTS_TYPE_URLS;
/** e.g. `ReceiptsEncodeObject<'MsgDepositEscrow'>`. */
export type ReceiptsEncodeObject<K extends ReceiptsMsgName = ReceiptsMsgName> = EncodeObjects<typeof RECEIPTS_TYPE_URLS, typeof tx>[K];

/** For a CosmJS Registry. */
export const receiptsTypes = generatedTypes(RECEIPTS_TYPE_URLS, tx);
/** `receiptsMsgs.MsgDepositEscrow({ … })`: the EncodeObject to sign. */
export const receiptsMsgs = encodeObjectBuilders(RECEIPTS_TYPE_URLS, tx);

/** Amino JSON (Ledger, Keplr's amino path): `cairn/MsgX`, params as `cairn/x/receipts/MsgUpdateParams`. */
export const receiptsAmino: readonly AminoMessage[] = cairnModuleAmino('receipts', RECEIPTS_TYPE_URLS, tx);
/** For `new AminoTypes({ ...receiptsAminoConverters })`: a CosmJS client signs receipts messages with amino JSON. */
export const receiptsAminoConverters = aminoConverters(receiptsAmino);
