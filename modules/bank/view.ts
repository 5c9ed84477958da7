// Reading balances and the supply: the part of the bank any module may do with a store alone (the
// keeper builds on it; invariants, which get only a store, use bankView from api.ts).
import type { Amount } from '../../core/framework/coins.ts';
import { lengthPrefixedBytes } from '../../core/framework/collections.ts';
import type { KVRead } from '../../core/store/types.ts';
import * as keys from './keys.ts';

export class BankView {
  balance(store: KVRead, address: Uint8Array, denom: string): Promise<bigint> {
    // No async frame (see GasKVStore.get): a bank send reads four balances a pass.
    return keys.balances.get(store, [address, denom]).then((amount) => amount ?? 0n);
  }

  async balances(store: KVRead, address: Uint8Array): Promise<Amount[]> {
    const out: Amount[] = [];
    for await (const [[, denom], amount] of keys.balances.entries(store, { subPrefix: lengthPrefixedBytes.encode(address) })) {
      out.push({ denom, amount });
    }
    return out;
  }

  async supplyOf(store: KVRead, denom: string): Promise<bigint> {
    return (await keys.supply.get(store, denom)) ?? 0n;
  }
}
