// cosmjs-types' BinaryWriter.finish() allocates its output through `BinaryWriter.alloc`, which builds a
// fresh 8 KiB pool on every call and returns a view into it: each encode of a small message zeroes
// 8 KiB, and each stored value keeps its 8 KiB slab alive. Profiling the app under bank sends put it
// at ~10 % of the thread plus the collector's work (bench/README.md). An exact-size array gives the
// same bytes, 4× faster per small encode, and owns its whole ArrayBuffer. Imported for its effect next
// to cosmjs-int64.ts, by the store codec and the client registry.
import { BinaryWriter } from 'cosmjs-types/binary';

(BinaryWriter as unknown as { alloc: (size: number) => Uint8Array }).alloc = (size) => new Uint8Array(size);
