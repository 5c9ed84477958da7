import { describe, expect, it } from 'vitest';
import type { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { encodeAccount } from './keeper.ts';
import { accountCodec } from './keys.ts';
import { encodeBaseAccountAny } from './base-account-bytes.ts';

// Deterministic random accounts (a seeded xorshift), so a failure reproduces.
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const STRINGS = ['', 'a', 'cairn1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu', '/cosmos.crypto.secp256k1.PubKey', 'é', '\ud800', '𝄞x', 'x'.repeat(200)];
const NUMBERS = [0n, 1n, 127n, 128n, 16_383n, 16_384n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n];

function randomAccount(r: () => number): BaseAccount {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const string = (): string => {
    if (r() < 0.3) return pick(STRINGS);
    const top = r() < 0.9 ? 128 : 0x10000; // mostly ASCII; else any UTF-16 unit, lone surrogates included
    return Array.from({ length: Math.floor(r() * 60) }, () => String.fromCharCode(Math.floor(r() * top))).join('');
  };
  const number = (): bigint => (r() < 0.3 ? pick(NUMBERS) : BigInt(Math.floor(r() * 2 ** Math.floor(r() * 54))));
  const bytes = (): Uint8Array => Uint8Array.from({ length: pick([0, 1, 33, 200]) }, () => Math.floor(r() * 256));
  return {
    address: string(),
    ...(r() < 0.3 ? {} : { pubKey: { typeUrl: string(), value: bytes() } }),
    accountNumber: number(),
    sequence: number(),
  };
}

describe('encodeBaseAccountAny', () => {
  it('writes the bytes the generic account codec writes, for every account it takes', () => {
    const r = random(14);
    let taken = 0;
    for (let i = 0; i < 6_000; i++) {
      const base = randomAccount(r);
      const fast = encodeBaseAccountAny(base);
      if (fast === undefined) continue;
      taken++;
      expect(fast, JSON.stringify(base, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))).toEqual(accountCodec.encode(encodeAccount({ kind: 'base', base })));
    }
    expect(taken).toBeGreaterThan(2_000);
  });

  it('declines non-ASCII strings and numbers past 2^53 - 1, which the generic codec then writes', () => {
    const base: BaseAccount = { address: 'cairn1abc', accountNumber: 1n, sequence: 2n };
    expect(encodeBaseAccountAny(base)).toBeDefined();
    expect(encodeBaseAccountAny({ ...base, address: 'cairn1é' })).toBeUndefined();
    expect(encodeBaseAccountAny({ ...base, pubKey: { typeUrl: '\ud800', value: new Uint8Array([1]) } })).toBeUndefined();
    expect(encodeBaseAccountAny({ ...base, sequence: 2n ** 53n })).toBeUndefined();
    expect(encodeBaseAccountAny({ ...base, accountNumber: -1n })).toBeUndefined();
  });
});
