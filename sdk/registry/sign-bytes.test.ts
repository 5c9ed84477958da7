import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTESTATION_DOMAIN, type AttestationFields, attestationId, attestationSignBytes, verifyEd25519 } from './sign-bytes.ts';

const fields: AttestationFields = {
  chainId: 'cairn-1',
  operator: new Uint8Array(20).fill(0xaa),
  gpuId: 'g0',
  teeType: 2,
  measurement: Uint8Array.of(1, 2, 3),
  reportHash: new Uint8Array(32).fill(0x09),
  issuedAt: 1_800_000_000n,
  expiresAt: 1_800_003_600n,
};

function keypair(): { publicKey: Uint8Array; sign: (m: Uint8Array) => Uint8Array } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'));
  return { publicKey: raw, sign: (m) => new Uint8Array(sign(null, m, privateKey)) };
}

describe('attestation sign-bytes', () => {
  it('are the domain, then length-prefixed fields and big-endian integers, in the documented order', () => {
    const u32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };
    const i64 = (n: bigint) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(n);
      return b;
    };
    const lp = (b: Uint8Array) => Buffer.concat([u32(b.length), b]);
    const expected = Buffer.concat([
      Buffer.from('cairn/attestation/v1'),
      lp(Buffer.from('cairn-1')),
      lp(fields.operator),
      lp(Buffer.from('g0')),
      u32(2),
      lp(fields.measurement),
      lp(fields.reportHash),
      i64(fields.issuedAt),
      i64(fields.expiresAt),
    ]);
    expect(Buffer.from(attestationSignBytes(fields))).toEqual(expected);
    expect(ATTESTATION_DOMAIN).toHaveLength(20);
  });

  it('differ whenever any field differs, so a signature binds every field (including the chain id)', () => {
    const base = Buffer.from(attestationSignBytes(fields)).toString('hex');
    const variants: Partial<AttestationFields>[] = [
      { chainId: 'cairn-2' },
      { operator: new Uint8Array(20).fill(0xab) },
      { gpuId: 'g1' },
      { teeType: 3 },
      { measurement: Uint8Array.of(1, 2) },
      { reportHash: new Uint8Array(32) },
      { issuedAt: 1n },
      { expiresAt: 2n },
      // moving a byte between adjacent variable fields must not collide
      { gpuId: 'g', chainId: 'cairn-10' },
    ];
    for (const v of variants) expect(Buffer.from(attestationSignBytes({ ...fields, ...v })).toString('hex')).not.toBe(base);
  });

  it('give an id that is the sha256 of the sign-bytes', () => {
    expect(attestationId(fields)).toHaveLength(32);
    expect(attestationId(fields)).toEqual(attestationId({ ...fields }));
    expect(attestationId(fields)).not.toEqual(attestationId({ ...fields, gpuId: 'g1' }));
  });
});

describe('verifyEd25519', () => {
  it('accepts a good signature and rejects a tampered message, signature or key', () => {
    const k = keypair();
    const msg = attestationSignBytes(fields);
    const sig = k.sign(msg);
    expect(verifyEd25519(k.publicKey, msg, sig)).toBe(true);
    expect(verifyEd25519(k.publicKey, attestationSignBytes({ ...fields, gpuId: 'x' }), sig)).toBe(false);
    expect(verifyEd25519(k.publicKey, msg, sig.map((b, i) => (i === 10 ? b ^ 1 : b)))).toBe(false);
    expect(verifyEd25519(keypair().publicKey, msg, sig)).toBe(false);
  });

  it('returns false, never throws, for keys and signatures of the wrong size or shape', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 70 }), (key, sig) => {
        expect(typeof verifyEd25519(key, Uint8Array.of(1), sig)).toBe('boolean');
      }),
      { numRuns: 200 },
    );
    expect(verifyEd25519(new Uint8Array(32).fill(0xff), Uint8Array.of(1), new Uint8Array(64))).toBe(false);
  });
});
