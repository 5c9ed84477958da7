// royalty state layout: one prefix byte per collection under "royalty/". Recipient addresses that
// are followed by more key parts are length-prefixed, so byte order is logical order.
import { Item, Map, lengthPrefixedBytes, pairKey, protoCodec, u64Key } from '../../core/framework/collections.ts';
import { EpochAccrual, EpochRoot, LedgerEntry, OwedRecord, Params } from '../../proto/gen/cairn/royalty/v1/types.ts';

export const MODULE = 'royalty';
/** Receives the non-burned part of every protocol fee. */
export const TREASURY_ACCOUNT = 'treasury';

const PREFIX = new TextEncoder().encode('royalty/');
const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);

export const params = new Item(key(0x01), protoCodec(Params));
/** recipient address → lifetime LedgerEntry */
export const ledger = new Map(key(0x02), lengthPrefixedBytes, protoCodec(LedgerEntry));
/** (epoch, recipient address) → EpochAccrual: the leaves of the epoch's royalty root, in address order. */
export const accruals = new Map(key(0x03), pairKey(u64Key, lengthPrefixedBytes, () => 8), protoCodec(EpochAccrual));
/** (recipient address, epoch) → marker: the epochs a recipient earned in, for the ledger query. */
export const recipientEpochs = new Map(key(0x06), pairKey(lengthPrefixedBytes, u64Key, (b) => 1 + (b[0] ?? 0)), {
  encode: (_: true) => Uint8Array.of(1),
  decode: (): true => true,
});
/** batch id → OwedRecord of an OFFCHAIN batch */
export const owed = new Map(key(0x04), u64Key, protoCodec(OwedRecord));
/** epoch → EpochRoot */
export const epochRoots = new Map(key(0x05), u64Key, protoCodec(EpochRoot));

export const ALL_PREFIXES: readonly Uint8Array[] = [params.key, ledger.prefix, accruals.prefix, owed.prefix, epochRoots.prefix, recipientEpochs.prefix];
export const STATE_PREFIX = PREFIX;
