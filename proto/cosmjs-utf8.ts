// cosmjs-types decodes every protobuf string (addresses, type URLs, denoms, amounts) with `utf8Read`,
// which grows an array of char codes and then slices and spreads it: four objects and a char-sized
// slot per byte for a 45-char address, ~6 % of what a bank send allocates in the app. Nearly every
// string on chain is ASCII, whose UTF-8 bytes are the string's char codes, so those are read as one
// latin1 string (same result); anything else goes to `utf8Read` as before. Imported for its effect
// next to cosmjs-alloc.ts, by the store codec and the client registry.
import { BinaryReader } from 'cosmjs-types/binary';
import { utf8Read } from 'cosmjs-types/utf8';
import { latin1Text } from './wire.ts';

(BinaryReader.prototype as unknown as { string: (this: BinaryReader) => string }).string = function string(this: BinaryReader): string {
  const bytes = this.bytes();
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) > 0x7f) return utf8Read(bytes, 0, bytes.length);
  return latin1Text(bytes);
};
