import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VerifiedSecp256k1, verifySecp256k1 } from './secp256k1.ts';
import {
  HALF_N,
  N,
  P,
  compact,
  highSTwin,
  referenceVerify,
  rs,
  sign,
  signForAnyKey,
  signWithChosenS,
  smallXPoint,
  toBytes32,
  uncompressed,
  validIgnoringLowS,
} from '../../test/support/signatures.ts';

// Pure-JS signing and verification in the reference cost ~2 ms a case; keep each property bounded.
const RUNS = { numRuns: 60 };

const scalar = fc.bigInt({ min: 1n, max: N - 1n });
const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const signed = fc.tuple(scalar, hash32).map(([d, h]) => sign(d, h));

function agree(pubkey: Uint8Array, hash: Uint8Array, signature: Uint8Array): boolean {
  const ours = verifySecp256k1(pubkey, hash, signature);
  expect(ours).toBe(referenceVerify(pubkey, hash, signature));
  return ours;
}

describe('verifySecp256k1 against @noble/curves', () => {
  it('accepts every valid low-S signature', () => {
    fc.assert(
      fc.property(signed, ({ pubkey, hash, signature }) => {
        expect(agree(pubkey, hash, signature)).toBe(true);
      }),
      RUNS,
    );
  });

  it('rejects the high-S twin of every valid signature, although it is otherwise valid ECDSA', () => {
    fc.assert(
      fc.property(signed, ({ pubkey, hash, signature }) => {
        const twin = highSTwin(signature);
        expect(validIgnoringLowS(pubkey, hash, twin)).toBe(true);
        expect(agree(pubkey, hash, twin)).toBe(false);
      }),
      RUNS,
    );
  });

  it('gives the same answer for a signature with bytes changed', () => {
    fc.assert(
      fc.property(
        signed,
        fc.array(fc.tuple(fc.nat(63), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        ({ pubkey, hash, signature }, edits) => {
          const mutated = Uint8Array.from(signature);
          for (const [at, xor] of edits) mutated[at] = (mutated[at] ?? 0) ^ xor;
          agree(pubkey, hash, mutated);
        },
      ),
      RUNS,
    );
  });

  it('rejects a valid signature checked against a different message hash', () => {
    fc.assert(
      fc.property(signed, fc.nat(31), fc.integer({ min: 1, max: 255 }), ({ pubkey, hash, signature }, at, xor) => {
        const other = Uint8Array.from(hash);
        other[at] = (other[at] ?? 0) ^ xor;
        expect(agree(pubkey, other, signature)).toBe(false);
      }),
      RUNS,
    );
  });

  it('rejects a valid signature checked against another key, including the same x with the other parity', () => {
    fc.assert(
      fc.property(signed, scalar, ({ pubkey, hash, signature }, other) => {
        const flipped = Uint8Array.from(pubkey);
        flipped[0] = flipped[0] === 2 ? 3 : 2;
        expect(agree(flipped, hash, signature)).toBe(false);
        const otherKey = sign(other, hash).pubkey;
        // fast-check may draw the signing key itself; only a genuinely different key must fail.
        fc.pre(Buffer.compare(Buffer.from(otherKey), Buffer.from(pubkey)) !== 0);
        expect(agree(otherKey, hash, signature)).toBe(false);
      }),
      RUNS,
    );
  });

  it('returns false, never throws, on random bytes of any length', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ minLength: 0, maxLength: 70 }),
          fc.tuple(fc.constantFrom(2, 3), fc.uint8Array({ minLength: 32, maxLength: 32 })).map(([p, x]) => Uint8Array.of(p, ...x)),
        ),
        hash32,
        fc.oneof(fc.uint8Array({ minLength: 0, maxLength: 70 }), fc.uint8Array({ minLength: 64, maxLength: 64 })),
        (pubkey, hash, signature) => {
          expect(agree(pubkey, hash, signature)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns false for a valid signature under a malformed encoding of its key', () => {
    fc.assert(
      fc.property(signed, fc.integer({ min: 0, max: 255 }), ({ pubkey, hash, signature }, prefix) => {
        const full = uncompressed(pubkey);
        // libsecp256k1 and noble both accept the 65-byte forms; the SDK's PubKey does not.
        expect(validIgnoringLowS(full, hash, signature)).toBe(true);
        const malformed = [
          full,
          Uint8Array.of(full[64]! & 1 ? 7 : 6, ...full.subarray(1)), // hybrid encoding
          pubkey.subarray(0, 32),
          Uint8Array.of(...pubkey, 0),
          Uint8Array.of(4, ...pubkey.subarray(1)),
          new Uint8Array(33),
        ];
        if (prefix !== 2 && prefix !== 3) malformed.push(Uint8Array.of(prefix, ...pubkey.subarray(1)));
        for (const key of malformed) expect(agree(key, hash, signature)).toBe(false);
      }),
      RUNS,
    );
  });

  it('returns false for an x coordinate at or above the field prime, even when x - p is a valid key', () => {
    const { x, pubkey } = smallXPoint();
    fc.assert(
      fc.property(scalar, scalar, (a, b) => {
        const good = signForAnyKey(pubkey, a, b);
        expect(agree(good.pubkey, good.hash, good.signature)).toBe(true);
        const aliased = Uint8Array.of(2, ...toBytes32(x + P));
        expect(agree(aliased, good.hash, good.signature)).toBe(false);
      }),
      { numRuns: 10 },
    );
    for (const bad of [P, P + 1n, (1n << 256n) - 1n]) {
      expect(agree(Uint8Array.of(2, ...toBytes32(bad)), new Uint8Array(32), compact(1n, 1n))).toBe(false);
    }
  });
});

describe('verifySecp256k1 at the edges of r and s', () => {
  it('accepts s = n/2 exactly and rejects s = n/2 + 1 (the SDK rejects only s > n/2)', () => {
    fc.assert(
      fc.property(scalar, scalar, (k, z) => {
        // z = s·k (mod n) would need the private key 0, which does not exist (e.g. k = 74, z = 37).
        fc.pre([HALF_N, HALF_N + 1n].every((s) => (s * k - z) % N !== 0n));
        const atHalf = signWithChosenS(k, HALF_N, z);
        expect(agree(atHalf.pubkey, atHalf.hash, atHalf.signature)).toBe(true);
        const aboveHalf = signWithChosenS(k, HALF_N + 1n, z);
        expect(validIgnoringLowS(aboveHalf.pubkey, aboveHalf.hash, aboveHalf.signature)).toBe(true);
        expect(agree(aboveHalf.pubkey, aboveHalf.hash, aboveHalf.signature)).toBe(false);
      }),
      { numRuns: 20 },
    );
  });

  it('rejects s + n and r + n encodings of a valid signature (out of range, not reduced mod n)', () => {
    fc.assert(
      fc.property(scalar, scalar, (k, z) => {
        fc.pre(k !== z); // s = 1 with k = z would need the private key 0, which does not exist
        const tiny = signWithChosenS(k, 1n, z);
        expect(agree(tiny.pubkey, tiny.hash, tiny.signature)).toBe(true);
        const { r } = rs(tiny.signature);
        expect(agree(tiny.pubkey, tiny.hash, compact(r, 1n + N))).toBe(false);
        if (r + N < 1n << 256n) expect(agree(tiny.pubkey, tiny.hash, compact(r + N, 1n))).toBe(false);
      }),
      { numRuns: 20 },
    );
  });

  it('rejects r or s equal to zero, n, or 2^256 - 1', () => {
    const { pubkey, hash, signature } = sign(12345n, new Uint8Array(32).fill(7));
    const { r, s } = rs(signature);
    const max = (1n << 256n) - 1n;
    for (const [badR, badS] of [
      [0n, s],
      [r, 0n],
      [0n, 0n],
      [N, s],
      [r, N],
      [max, s],
      [r, max],
      [N - 1n, N - 1n],
    ] as const) {
      expect(agree(pubkey, hash, compact(badR, badS))).toBe(false);
    }
    expect(agree(pubkey, hash, signature)).toBe(true);
  });
});

describe('verifySecp256k1 inputs', () => {
  const { pubkey, hash, signature } = sign(987654321n, new Uint8Array(32).fill(1));

  it('verifies keys and signatures that are views into a larger buffer, as decoded protobuf fields are', () => {
    const backing = new Uint8Array(7 + 33 + 5 + 64 + 3);
    backing.set(pubkey, 7);
    backing.set(signature, 45);
    const pubkeyView = backing.subarray(7, 40);
    const signatureView = backing.subarray(45, 109);
    expect(verifySecp256k1(pubkeyView, Buffer.from(hash), signatureView)).toBe(true);
    backing[45] = (backing[45] ?? 0) ^ 1;
    expect(verifySecp256k1(pubkeyView, hash, signatureView)).toBe(false);
  });

  it('throws a TypeError when an argument is not a Uint8Array', () => {
    const wrong: unknown[] = [undefined, null, 'aa', 5, [1, 2, 3], new Uint16Array(33), signature.buffer];
    for (const value of wrong) {
      expect(() => verifySecp256k1(value as Uint8Array, hash, signature)).toThrow(TypeError);
      expect(() => verifySecp256k1(pubkey, value as Uint8Array, signature)).toThrow(TypeError);
      expect(() => verifySecp256k1(pubkey, hash, value as Uint8Array)).toThrow(TypeError);
    }
  });

  it('throws a RangeError when the hash is not 32 bytes, since unhashed sign bytes are a caller bug', () => {
    expect(() => verifySecp256k1(pubkey, new Uint8Array(31), signature)).toThrow(RangeError);
    expect(() => verifySecp256k1(pubkey, new Uint8Array(200), signature)).toThrow(RangeError);
  });
});

describe('VerifiedSecp256k1 (the verified-signature cache)', () => {
  it('answers as verifySecp256k1 for every input, whatever it verified before', () => {
    fc.assert(
      fc.property(signed, hash32, ({ pubkey, hash, signature }, other) => {
        const cache = new VerifiedSecp256k1(4);
        expect(cache.verify(pubkey, hash, signature)).toBe(true);
        // Remembered: the same bytes again are valid without libsecp256k1, once.
        expect(cache.size).toBe(1);
        // The same key and sign bytes with another signature, or another message, are not hits.
        expect(cache.verify(pubkey, hash, highSTwin(signature))).toBe(false);
        expect(cache.verify(pubkey, other, signature)).toBe(verifySecp256k1(pubkey, other, signature));
        expect(cache.verify(pubkey, hash, signature)).toBe(true);
        expect(cache.size).toBe(0);
      }),
      { numRuns: 20 },
    );
  });

  it('never keeps an invalid answer, and keeps at most its bound', () => {
    const cache = new VerifiedSecp256k1(3);
    const cases = Array.from({ length: 5 }, (_, i) => sign(BigInt(i + 1), new Uint8Array(32).fill(i)));
    for (const c of cases) expect(cache.verify(c.pubkey, c.hash, c.signature)).toBe(true);
    expect(cache.size).toBe(3);
    const bad = cases[0]!;
    expect(cache.verify(bad.pubkey, bad.hash, highSTwin(bad.signature))).toBe(false);
    expect(cache.verify(bad.pubkey.subarray(0, 32), bad.hash, bad.signature)).toBe(false);
    expect(cache.size).toBe(3);
    // The oldest went first; the newest are still there (a hit removes its entry).
    expect(cache.verify(cases[4]!.pubkey, cases[4]!.hash, cases[4]!.signature)).toBe(true);
    expect(cache.size).toBe(2);
  });
});
