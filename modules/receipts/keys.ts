// receipts state layout: one prefix byte per collection under "receipts/". Addresses and receipt
// ids followed by more key parts are length-prefixed; heights, ids and epochs are big-endian u64,
// so byte order is logical order and no two collections overlap.
import { type Codec, Item, Map, concat, lengthPrefixedBytes, marker, pairKey, protoCodec, u64Key } from '../../core/framework/collections.ts';
import {
  Batch,
  ChallengeRecord,
  DataRequest,
  EpochInfo,
  EpochRoots,
  EpochUsage,
  Escrow,
  Params,
  Reservation,
  RevealedReceipt,
  Withdrawal,
} from '../../proto/gen/cairn/receipts/v1/types.ts';

export const MODULE = 'receipts';
/** Holds every escrow (available and locked), open request bonds and reservation payments. */
export const ESCROW_ACCOUNT = 'receipts_escrow';
/** Receives a fault's slash, pays the prover's reward and burns the rest, in the same step: always empty after. */
export const PENALTY_ACCOUNT = 'receipts_penalties';

const PREFIX = new TextEncoder().encode('receipts/');
const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);
const lpLength = (b: Uint8Array): number => 1 + (b[0] ?? 0);
const u32Key: Codec<number> = {
  encode: (v) => {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, v);
    return out;
  },
  decode: (b) => new DataView(b.buffer, b.byteOffset, 4).getUint32(0),
};
const u64Pair = pairKey(u64Key, u64Key, () => 8);
const rawBytes: Codec<Uint8Array> = { encode: (v) => v, decode: (b) => b.slice() };

export const params = new Item(key(0x01), protoCodec(Params));
/** payer address → Escrow */
export const escrows = new Map(key(0x02), lengthPrefixedBytes, protoCodec(Escrow));
/** (payer address, withdrawal id) → Withdrawal */
export const withdrawals = new Map(key(0x03), pairKey(lengthPrefixedBytes, u64Key, lpLength), protoCodec(Withdrawal));
/** (completion height, withdrawal id) → payer address */
export const withdrawalQueue = new Map(key(0x04), u64Pair, rawBytes);
export const nextBatchId = new Item(key(0x05), u64Key);
export const nextWithdrawalId = new Item(key(0x06), u64Key);
export const nextReservationId = new Item(key(0x07), u64Key);
/** batch id → Batch */
export const batches = new Map(key(0x08), u64Key, protoCodec(Batch));
/** batch root → batch id: a root is accepted once. */
export const batchRoots = new Map(key(0x09), rawBytes, u64Key);
/** (operator, batch id), (payer, batch id), (epoch, batch id), (status, batch id) → marker */
export const batchesByOperator = new Map(key(0x0a), pairKey(lengthPrefixedBytes, u64Key, lpLength), marker);
export const batchesByPayer = new Map(key(0x0b), pairKey(lengthPrefixedBytes, u64Key, lpLength), marker);
export const batchesByEpoch = new Map(key(0x0c), u64Pair, marker);
export const batchesByStatus = new Map(key(0x0d), pairKey(u32Key, u64Key, () => 4), marker);
/** (height, batch id) → marker: reveal deadlines (sample and requests) to enforce at the end of that block. */
export const deadlines = new Map(key(0x0e), u64Pair, marker);
/** (height, batch id) → marker: batches whose dispute window ends at that block. */
export const finalizeQueue = new Map(key(0x0f), u64Pair, marker);
/** (batch id, leaf index) → open DataRequest */
export const requests = new Map(key(0x10), u64Pair, protoCodec(DataRequest));
/** (batch id, seq) → ChallengeRecord */
export const challenges = new Map(key(0x11), pairKey(u64Key, u32Key, () => 8), protoCodec(ChallengeRecord));
/** (payer, receipt id, batch id) → RevealedReceipt: receipts seen on chain, for double-claim proofs. */
export const revealed = new Map(
  key(0x12),
  {
    encode: ([payer, id, batch]: readonly [Uint8Array, Uint8Array, bigint]) => concat(lengthPrefixedBytes.encode(payer), lengthPrefixedBytes.encode(id), u64Key.encode(batch)),
    decode: (b: Uint8Array): [Uint8Array, Uint8Array, bigint] => {
      const n = lpLength(b);
      const m = lpLength(b.subarray(n));
      return [lengthPrefixedBytes.decode(b).slice(), lengthPrefixedBytes.decode(b.subarray(n)).slice(), u64Key.decode(b.subarray(n + m))];
    },
  },
  protoCodec(RevealedReceipt),
);
/** (batch id, leaf index) → receipt id: leaves already revealed (the Reveals query lists a batch's). */
export const revealedLeaves = new Map(key(0x13), u64Pair, rawBytes);
/** evidence hash → height it was processed at. */
export const evidence = new Map(key(0x14), rawBytes, u64Key);
/** (block time in seconds, height) → marker: the recent blocks, to find the height at a receipt's time. */
export const blockTimes = new Map(key(0x15), u64Pair, marker);
/** epoch → EpochInfo (first height and its time) */
export const epochs = new Map(key(0x16), u64Key, protoCodec(EpochInfo));
/** (epoch, batch id) → marker: batches finalized in the still open epoch (the leaves of its receipts root). */
export const epochFinalized = new Map(key(0x17), u64Pair, marker);
/** epoch → EpochRoots */
export const epochRoots = new Map(key(0x18), u64Key, protoCodec(EpochRoots));
/** (epoch, operator) → EpochUsage */
export const usage = new Map(key(0x19), pairKey(u64Key, lengthPrefixedBytes, () => 8), protoCodec(EpochUsage));
/** reservation id → Reservation */
export const reservations = new Map(key(0x1a), u64Key, protoCodec(Reservation));
export const reservationsByPayer = new Map(key(0x1b), pairKey(lengthPrefixedBytes, u64Key, lpLength), marker);
export const reservationsByOperator = new Map(key(0x1c), pairKey(lengthPrefixedBytes, u64Key, lpLength), marker);
/** (end time in seconds, reservation id) → marker: active reservations to pay out. */
export const reservationEnds = new Map(key(0x1d), u64Pair, marker);
/** payer batch signature → batch id: a payer's consent is spent by the batch it was given for. */
export const batchSignatures = new Map(key(0x1e), rawBytes, u64Key);
/** (height, batch id) → marker: samples to draw from that block's hash, at its begin block. */
export const draws = new Map(key(0x1f), u64Pair, marker);

export const ALL_PREFIXES: readonly Uint8Array[] = [
  params.key,
  escrows.prefix,
  withdrawals.prefix,
  withdrawalQueue.prefix,
  nextBatchId.key,
  nextWithdrawalId.key,
  nextReservationId.key,
  batches.prefix,
  batchRoots.prefix,
  batchesByOperator.prefix,
  batchesByPayer.prefix,
  batchesByEpoch.prefix,
  batchesByStatus.prefix,
  deadlines.prefix,
  finalizeQueue.prefix,
  requests.prefix,
  challenges.prefix,
  revealed.prefix,
  revealedLeaves.prefix,
  evidence.prefix,
  blockTimes.prefix,
  epochs.prefix,
  epochFinalized.prefix,
  epochRoots.prefix,
  usage.prefix,
  reservations.prefix,
  reservationsByPayer.prefix,
  reservationsByOperator.prefix,
  reservationEnds.prefix,
  batchSignatures.prefix,
  draws.prefix,
];
export const STATE_PREFIX = PREFIX;

export function addressPrefix(address: Uint8Array): Uint8Array {
  return lengthPrefixedBytes.encode(address);
}
