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

describe('the codec remembers valid answers only', () => {
  it('gives the same answers, and fresh copies, however often an address is seen', () => {
    const c = new AddressCodec('cairn');
    const first = c.decode(address);
    first[0] = 99;
    expect(c.decode(address)).toEqual(bytes);
    expect(c.encode(bytes)).toBe(address);
    expect(c.encode(Uint8Array.from(bytes))).toBe(address);
    // What failed still fails, before and after the valid spelling was remembered.
    expect(() => c.decode(address.toUpperCase())).toThrow(ErrInvalidAddress.description);
    expect(() => c.decode(address, 'cosmos')).toThrow('invalid Bech32 prefix; expected cosmos, got cairn');
    expect(() => c.decode(`${address.slice(0, -1)}q`)).toThrow(ErrInvalidAddress.description);
    expect(c.decode(codec.encode(bytes, 'cairnvaloper'), 'cairnvaloper')).toEqual(bytes);
    // Many distinct addresses: the bound holds and answers stay right.
    for (let i = 0; i < 25_000; i++) {
      const b = Uint8Array.from({ length: 20 }, (_, j) => (i >> (j % 3) * 8) & 255);
      expect(c.decode(c.encode(b))).toEqual(b);
    }
    expect(c.decode(address)).toEqual(bytes);
  });
});
