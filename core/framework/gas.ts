// Gas: a bounded meter charged per tx byte, per signature and per store access, with the Cosmos
// SDK's default store costs (store/types/gas.go KVGasConfig) so fees feel familiar to users.
import { ErrOutOfGas } from './sdk-errors.ts';
import type { Entry, KVStore, Range } from '../store/types.ts';
import { MAX_SAFE_BIGINT } from '../../proto/wire.ts';

export const STORE_GAS = {
  hasCost: 1000n,
  deleteCost: 1000n,
  readCostFlat: 1000n,
  readCostPerByte: 3n,
  writeCostFlat: 2000n,
  writeCostPerByte: 30n,
  iterNextCostFlat: 30n,
} as const;

export const UNLIMITED_GAS = 2n ** 64n - 1n;

export class GasMeter {
  readonly limit: bigint;
  // The sum is kept in a number while it is a safe integer (every real tx: blocks allow far less than
  // 2^53 gas), and in a bigint from then on: each bigint sum was a new heap object, at each of the
  // ~140 charges of a bank send's three passes. Number and bigint compare exactly, and both print the
  // same digits, so the limit check and the out-of-gas message are unchanged.
  #used = 0;
  #usedBig: bigint | undefined;

  constructor(limit: bigint) {
    this.limit = limit;
  }

  get used(): bigint {
    return this.#usedBig ?? BigInt(this.#used);
  }

  consume(amount: bigint, descriptor: string): void {
    let over: boolean;
    const sum = this.#used + Number(amount);
    if (this.#usedBig === undefined && amount <= MAX_SAFE_BIGINT && Number.isSafeInteger(sum)) {
      this.#used = sum;
      over = sum > this.limit;
    } else {
      this.#usedBig = (this.#usedBig ?? BigInt(this.#used)) + amount;
      over = this.#usedBig > this.limit;
    }
    if (over) {
      throw ErrOutOfGas.wrap(
        `out of gas in location: ${descriptor}; gasWanted: ${this.limit}, gasUsed: ${this.used}`,
      );
    }
  }
}

// The per-byte charges of the lengths a store access has (keys and values of a few hundred bytes),
// each computed once: BigInt(n) and the product were two bigints of garbage per access.
const BYTE_CHARGES = 2048;
const readCharges: bigint[] = [];
const writeCharges: bigint[] = [];

function byteCharge(table: bigint[], perByte: bigint, bytes: number): bigint {
  if (bytes >= BYTE_CHARGES) return perByte * BigInt(bytes);
  return (table[bytes] ??= perByte * BigInt(bytes));
}

/** A KVStore that charges every access to a gas meter before performing it. */
export class GasKVStore implements KVStore {
  readonly #inner: KVStore;
  readonly #gas: GasMeter;

  constructor(inner: KVStore, gas: GasMeter) {
    this.#inner = inner;
    this.#gas = gas;
  }

  // Reads are the commonest call of a tx (~27 a bank send over its three passes), so the read path is
  // written without async frames: each was ~200 bytes of garbage for the young collections. A throw
  // still becomes a rejection, as it would in an async function. Where the store below answers at once
  // (peek), the read's bytes are charged at once: the same charges in the same order.
  get(key: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      this.#gas.consume(STORE_GAS.readCostFlat, 'ReadFlat');
      const now = this.#inner.peek?.(key);
      if (now !== undefined) {
        const value = now ?? undefined;
        this.#chargeRead(key, value);
        return Promise.resolve(value);
      }
      return this.#inner.get(key).then((value) => {
        this.#chargeRead(key, value);
        return value;
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #chargeRead(key: Uint8Array, value: Uint8Array | undefined): void {
    this.#gas.consume(byteCharge(readCharges, STORE_GAS.readCostPerByte, key.length + (value?.length ?? 0)), 'ReadPerByte');
  }

  async *iterate(range: Range): AsyncIterable<Entry> {
    for await (const entry of this.#inner.iterate(range)) {
      this.#gas.consume(STORE_GAS.iterNextCostFlat, 'IterNextFlat');
      this.#gas.consume(byteCharge(readCharges, STORE_GAS.readCostPerByte, entry[0].length + entry[1].length), 'ValuePerByte');
      yield entry;
    }
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.#gas.consume(STORE_GAS.writeCostFlat, 'WriteFlat');
    this.#gas.consume(byteCharge(writeCharges, STORE_GAS.writeCostPerByte, key.length + value.length), 'WritePerByte');
    this.#inner.set(key, value);
  }

  delete(key: Uint8Array): void {
    this.#gas.consume(STORE_GAS.deleteCost, 'Delete');
    this.#inner.delete(key);
  }
}
