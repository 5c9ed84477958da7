// cosmjs-types decodes every protobuf string (addresses, type URLs, denoms, amounts) with `utf8Read`,
// which grows an array of char codes and then slices and spreads it: four objects and a char-sized
// slot per byte for a 45-char address, ~6 % of what a bank send allocates in the app. Nearly every
// string on chain is ASCII, whose UTF-8 bytes are the string's char codes, so those are read as one
// latin1 string (same result); anything else goes to `utf8Read` as before. Imported for its effect
// next to cosmjs-alloc.ts, by the store codec and the client registry.
import { BinaryReader } from 'cosmjs-types/binary';
import { utf8Read } from 'cosmjs-types/utf8';

// Buffer's own latin1 decoder, called on the Uint8Array itself (no Buffer view to allocate). Node has
// had it since 0.x; if it ever goes, every string takes utf8Read again.
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: (this: Uint8Array, start: number, end: number) => string }).latin1Slice;

(BinaryReader.prototype as unknown as { string: (this: BinaryReader) => string }).string = function string(this: BinaryReader): string {
  const bytes = this.bytes();
  if (latin1Slice === undefined) return utf8Read(bytes, 0, bytes.length);
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) > 0x7f) return utf8Read(bytes, 0, bytes.length);
  return latin1Slice.call(bytes, 0, bytes.length);
};
