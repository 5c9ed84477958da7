import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { ripemd160 as nobleRipemd160 } from '@noble/hashes/legacy.js';
import { ripemd160, sha256 } from './hash.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const abc = new TextEncoder().encode('abc');

describe('sha256', () => {
  it('gives the FIPS 180 digest of "abc"', () => {
    expect(hex(sha256(abc))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('agrees with @noble/hashes on any input, including views into a larger buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.nat(16), (data, offset) => {
        const backing = new Uint8Array(offset + data.length + 3);
        backing.set(data, offset);
        const view = backing.subarray(offset, offset + data.length);
        expect(sha256(view)).toEqual(nobleSha256(data));
      }),
    );
  });

  it('returns a fresh 32-byte Uint8Array that owns its memory', () => {
    const digest = sha256(abc);
    expect(Buffer.isBuffer(digest)).toBe(false);
    expect(digest.byteLength).toBe(32);
    expect(digest.buffer.byteLength).toBe(32);
  });

  it('throws a TypeError for a string', () => {
    expect(() => sha256('abc' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('ripemd160', () => {
  it('gives the published digest of "abc"', () => {
    expect(hex(ripemd160(abc))).toBe('8eb208f7e05d987a9b044a8e98c6b087f15a0bfc');
  });

  it('agrees with @noble/hashes on any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (data) => {
        expect(ripemd160(data)).toEqual(nobleRipemd160(data));
      }),
    );
  });
});
