// The watcher verifies with libsodium first and asks OpenSSL about what libsodium refuses: its
// answers must be OpenSSL's (the chain's judge) on every input, the crafted edge cases included. The
// verifier process (voi, Go's rules) goes before both: on every case here it may accept only what
// OpenSSL accepts, and the pool with it must answer as OpenSSL does.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { verifyEd25519Fast } from '../node/watcher/fast-ed25519.ts';
import { VerifierProcess, verifierBinary } from '../node/watcher/verifier-process.ts';
import { type SignatureCheck, VerifyPool, packChecks } from '../node/watcher/verify-pool.ts';
import { generateEd25519, verifyEd25519 } from '../sdk/ed25519.ts';

const sodium = createRequire(import.meta.url)('sodium-native') as { crypto_sign_verify_detached(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): boolean };
const sodiumVerify = (key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean => sodium.crypto_sign_verify_detached(signature, message, key);

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const le32 = (n: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
};
const fromLe = (b: Uint8Array): bigint => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));

// The points of small order (and encodings of them that are not canonical): libsodium's refusal list.
const SMALL_ORDER = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '0100000000000000000000000000000000000000000000000000000000000080',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
].map(hex);
const EDGE_S = [0n, 1n, L - 1n, L, L + 1n, 2n ** 256n - 1n].map(le32);

// Every case the tests below judge, for the last one to put to the verifier process.
const seen: SignatureCheck[] = [];
const verifyFast = (key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean => {
  seen.push({ key, message, signature });
  return verifyEd25519Fast(key, message, signature);
};

const P = ed25519.Point;
const ORDER_8 = P.fromBytes(SMALL_ORDER[6]!); // a point of order 8
const challenge = (r: Uint8Array, a: Uint8Array, m: Uint8Array): bigint => fromLe(sha512(concat(r, a, m))) % L;

describe('the watcher’s ed25519 verification', () => {
  it('gives OpenSSL’s answer for valid, mutated and malformed signatures', () => {
    let valid = 0;
    for (let i = 0; i < 200; i++) {
      const { signer } = generateEd25519();
      const message = randomBytes(1 + (i % 300));
      const signature = signer.sign(message);
      const cases: [Uint8Array, Uint8Array, Uint8Array][] = [[signer.publicKey, message, signature]];
      for (const which of [0, 1, 2]) {
        const parts = [signer.publicKey, message, signature].map((b) => Uint8Array.from(b));
        const target = parts[which]!;
        const bit = (i * 37 + which * 101) % (target.length * 8);
        target[bit >> 3]! ^= 1 << (bit & 7);
        cases.push(parts as [Uint8Array, Uint8Array, Uint8Array]);
      }
      cases.push([signer.publicKey.subarray(1), message, signature], [signer.publicKey, message, signature.subarray(0, 63)]);
      for (const [key, m, sig] of cases) {
        const want = verifyEd25519(key, m, sig);
        expect(verifyFast(key, m, sig)).toBe(want);
        if (want) valid++;
      }
    }
    expect(valid).toBe(200); // each untouched signature, and none of its mutations
  });

  it('gives OpenSSL’s answer for small-order and non-canonical keys and R, and S at and around L', () => {
    const message = new TextEncoder().encode('a receipt');
    let cases = 0;
    for (const key of SMALL_ORDER) {
      for (const r of SMALL_ORDER) {
        for (const s of EDGE_S) {
          const signature = concat(r, s);
          expect(verifyFast(key, message, signature)).toBe(verifyEd25519(key, message, signature));
          cases++;
        }
      }
    }
    expect(cases).toBe(14 * 14 * 6);
  });

  it('accepts what only OpenSSL accepts: a signature under a key of small order', () => {
    // [S]B − [h]A = R with A of order 8 holds for S = r and R = rB − [h mod 8]A: found in ~8 tries.
    const key = SMALL_ORDER[6]!;
    const message = new TextEncoder().encode('a payer key of small order');
    let found = 0;
    for (let tries = 0; found < 4 && tries < 400; tries++) {
      const r = (fromLe(randomBytes(32)) % (L - 1n)) + 1n;
      const k = BigInt(tries % 8);
      const R = P.BASE.multiply(r).subtract(ORDER_8.multiplyUnsafe(k)).toBytes();
      if (challenge(R, key, message) % 8n !== k) continue;
      const signature = concat(R, le32(r));
      expect(verifyEd25519(key, message, signature)).toBe(true);
      expect(sodiumVerify(key, message, signature)).toBe(false);
      expect(verifyFast(key, message, signature)).toBe(true);
      found++;
    }
    expect(found).toBe(4);
  });

  it('refuses, as OpenSSL does, a signature whose R carries a small-order part', () => {
    // R = rB + T, S = r + h·a: the cofactored equation holds, the cofactorless one (both libraries') does not.
    const secret = randomBytes(32);
    const { scalar, pointBytes: key } = ed25519.utils.getExtendedPublicKey(secret);
    const message = new TextEncoder().encode('a mixed-order R');
    for (let i = 0; i < 8; i++) {
      const r = (fromLe(randomBytes(32)) % (L - 1n)) + 1n;
      const R = P.BASE.multiply(r).add(ORDER_8).toBytes();
      const signature = concat(R, le32((r + challenge(R, key, message) * scalar) % L));
      expect(verifyEd25519(key, message, signature)).toBe(false);
      expect(verifyFast(key, message, signature)).toBe(false);
    }
  });

  it('puts every case above to the verifier process: it accepts only what OpenSSL accepts, and the pool with it answers as OpenSSL', async () => {
    const wellFormed = seen.filter((c) => c.key.length === 32 && c.signature.length === 64);
    expect(wellFormed.length).toBeGreaterThan(1_900);
    const process = VerifierProcess.start();
    expect(process, `${verifierBinary()} is missing: run npm run setup`).toBeDefined();
    try {
      const answers = await process!.run(packChecks(wellFormed));
      expect(answers).toHaveLength(wellFormed.length);
      const openssl = wellFormed.map((c) => verifyEd25519(c.key, c.message, c.signature));
      expect(wellFormed.filter((_, i) => answers![i] === 1 && !openssl[i])).toEqual([]);
      expect(openssl.filter(Boolean).length).toBeGreaterThan(200);
    } finally {
      process!.close();
    }
    const pool = new VerifyPool({ threads: 1, process: verifierBinary() });
    try {
      expect(await pool.verify(seen)).toEqual(seen.map((c) => verifyEd25519(c.key, c.message, c.signature)));
      expect(pool.processPid).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });
});
