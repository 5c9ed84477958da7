// A deterministic block generator shared by the crash test and its child process.

import type { KVStore } from '../../core/store/types.ts';

/** Writes block `height`: 40 updates and a few deletes over a rotating set of 300 keys. */
export function writeBlock(store: KVStore, height: bigint): void {
  const h = Number(height);
  const te = new TextEncoder();
  for (let i = 0; i < 40; i++) {
    const n = (h * 37 + i * 11) % 300;
    const key = te.encode(`acct/${n}`);
    if ((n + h) % 9 === 0) store.delete(key);
    else store.set(key, te.encode(`balance ${h}.${i}`));
  }
}
