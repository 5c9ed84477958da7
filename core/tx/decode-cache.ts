// Decoded txs remembered by their exact bytes, so a tx decoded at CheckTx is not decoded again at
// every ReCheckTx and at FinalizeBlock (decoding is ~5 % of a bank send's app time, three times over).
//
// Decoding is a pure function of the bytes and of the app's fixed decoding setup (message router,
// limits, encoders), so the same bytes always give the same DecodedTx: a cached one can never change
// a result. The key is the bytes themselves (as a latin1 string), not a hash of them, so a different
// tx can never be answered from the cache. Failures are not kept (they are rare and cheap to
// recompute). Consumers treat a DecodedTx as read-only, as they always had to.
import { LruCache } from '../lru-cache.ts';
import { type DecodedTx, type TxDecoding, decodeTx } from './decode.ts';
import { toKeyString } from '../store/bytes.ts';

/** Txs larger than this are decoded every time: they are rare, and the cache stays a few tens of MiB. */
export const MAX_CACHED_TX_BYTES = 2048;

export class DecodedTxCache {
  readonly #decoded: LruCache<DecodedTx>;

  /** Holds at most `max` decoded txs of at most MAX_CACHED_TX_BYTES each, least recently used evicted. */
  constructor(max: number) {
    this.#decoded = new LruCache(max);
  }

  get size(): number {
    return this.#decoded.size;
  }

  /**
   * decodeTx(bytes, env), from the cache when these exact bytes were decoded before. `take` removes
   * the entry (FinalizeBlock: a tx in a block leaves the mempool, so it will not be asked for again).
   * @throws what decodeTx throws.
   */
  decode(bytes: Uint8Array, env: TxDecoding, take = false): DecodedTx {
    if (bytes.length === 0 || bytes.length > MAX_CACHED_TX_BYTES) return decodeTx(bytes, env);
    const key = toKeyString(bytes);
    const hit = this.#decoded.get(key);
    if (hit !== undefined) {
      if (take) this.#decoded.delete(key);
      return hit;
    }
    if (take) return decodeTx(bytes, env);
    // Kept decoded from a copy: the request's bytes are often a view into a larger socket buffer,
    // which the DecodedTx's sub-arrays would otherwise keep alive.
    const tx = decodeTx(new Uint8Array(bytes), env);
    this.#decoded.set(key, tx);
    return tx;
  }

  clear(): void {
    this.#decoded.clear();
  }
}
