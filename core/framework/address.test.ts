import { describe, expect, it } from 'vitest';
import { AddressCodec, decodeBech32 } from './address.ts';
import { ErrInvalidAddress } from './sdk-errors.ts';

const codec = new AddressCodec('cairn');
const bytes = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
const address = codec.encode(bytes);

describe('one spelling per address', () => {
  it('decodes the lower-case spelling, the only one encode emits', () => {
    expect(address).toBe(address.toLowerCase());
    expect(codec.decode(address)).toEqual(bytes);
    expect(decodeBech32(codec.encode(bytes, 'cairnvaloper'))).toEqual({ prefix: 'cairnvaloper', data: bytes });
  });

  it('refuses the upper-case spelling of the same bytes with ErrInvalidAddress naming the one to use', () => {
    expect(() => decodeBech32(address.toUpperCase())).toThrow(`upper-case spelling; write it as ${address}`);
    const err = (() => {
      try {
        codec.decode(address.toUpperCase());
      } catch (e) {
        return e;
      }
    })();
    expect(ErrInvalidAddress.is(err)).toBe(true);
    expect((err as Error).message).toContain(`write it as ${address}`);
    expect(() => codec.decode(codec.encode(bytes, 'cairnvaloper').toUpperCase(), 'cairnvaloper')).toThrow(/upper-case spelling/);
  });

  it('refuses mixed case, which bech32 itself calls invalid', () => {
    const mixed = address.slice(0, 10) + address.slice(10).toUpperCase();
    expect(() => codec.decode(mixed)).toThrow(/invalid address/);
    expect(() => decodeBech32(mixed)).toThrow();
  });
});
