import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pubkeyToAddress as cosmjsPubkeyToAddress, rawSecp256k1PubkeyToRawAddress, encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { toBech32 } from '@cosmjs/encoding';
import { pubkeyToAddress } from './address.ts';
import { N, sign } from '../../test/support/signatures.ts';

const compressedKey = fc.bigInt({ min: 1n, max: N - 1n }).map((d) => sign(d, new Uint8Array(32)).pubkey);

describe('pubkeyToAddress', () => {
  it('gives the well-known hash160 of the generator point (BIP 173: bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4)', () => {
    const generator = Uint8Array.from(Buffer.from('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex'));
    expect(Buffer.from(pubkeyToAddress(generator)).toString('hex')).toBe('751e76e8199196d454941c45d1b3a323f1433bd6');
  });

  it('matches @cosmjs/amino for any key, raw and as a cairn1… bech32 address', () => {
    fc.assert(
      fc.property(compressedKey, (pubkey) => {
        const ours = pubkeyToAddress(pubkey);
        expect(ours).toEqual(rawSecp256k1PubkeyToRawAddress(pubkey));
        expect(toBech32('cairn', ours)).toBe(cosmjsPubkeyToAddress(encodeSecp256k1Pubkey(pubkey), 'cairn'));
      }),
      { numRuns: 50 },
    );
  });

  it('returns a plain 20-byte Uint8Array, not a Buffer', () => {
    const address = pubkeyToAddress(new Uint8Array(33).fill(2));
    expect(address).toHaveLength(20);
    expect(Buffer.isBuffer(address)).toBe(false);
  });

  it('refuses keys that are not 33 bytes with a RangeError, and non-bytes with a TypeError', () => {
    for (const length of [0, 32, 34, 65]) {
      expect(() => pubkeyToAddress(new Uint8Array(length))).toThrow(RangeError);
    }
    expect(() => pubkeyToAddress('02' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
