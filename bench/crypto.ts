// Signature verification and hashing, library against library, on this machine.
// Run: node bench/crypto.ts   (Node 22 from node_modules/.bin). Takes ~20 s.
//
// Every verifier gets the same 2,000 valid signatures (2,000 keys, 256-byte sign bytes, 64-byte
// low-S r||s over SHA-256(sign bytes)). node:crypto cannot verify a prehashed digest with ECDSA,
// so it is given the sign bytes and hashes them itself (about 1 µs of its figure).

import { createHash, createPublicKey, hash, randomBytes, verify as nodeVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { ripemd160 as nobleRipemd160 } from '@noble/hashes/legacy.js';
import { verifySecp256k1 } from '../core/crypto/secp256k1.ts';
import { ripemd160, sha256 } from '../core/crypto/hash.ts';
import { pubkeyToAddress } from '../core/crypto/address.ts';
import { ed25519FromSeed, verifyEd25519 } from '../sdk/ed25519.ts';
import { fmt } from './stats.ts';

interface NativeSecp256k1 {
  publicKeyCreate(privkey: Uint8Array, compressed?: boolean): Uint8Array;
  ecdsaSign(msg32: Uint8Array, privkey: Uint8Array): { signature: Uint8Array };
  ecdsaVerify(signature: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
}
const native = createRequire(import.meta.url)('secp256k1/bindings.js') as NativeSecp256k1;

const COUNT = 2_000;
const MIN_SECONDS = 1.5;
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
// DER SubjectPublicKeyInfo header for an id-ecPublicKey on secp256k1 with a 33-byte compressed point.
const SPKI_PREFIX = Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex');

interface Sample {
  pubkey: Uint8Array;
  message: Uint8Array;
  hash: Uint8Array;
  signature: Uint8Array;
  keyObject: KeyObject;
}

function makeSamples(): Sample[] {
  const samples: Sample[] = [];
  for (let i = 0; i < COUNT; i++) {
    const privkey = sha256(new TextEncoder().encode(`cairn bench key ${i}`));
    const message = new Uint8Array(randomBytes(256));
    const digest = sha256(message);
    const pubkey = native.publicKeyCreate(privkey, true);
    const signature = native.ecdsaSign(digest, privkey).signature;
    samples.push({ pubkey, message, hash: digest, signature, keyObject: spki(pubkey) });
  }
  return samples;
}

function spki(pubkey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pubkey]), format: 'der', type: 'spki' });
}

function nodeCryptoVerify(s: Pick<Sample, 'message' | 'signature'>, key: KeyObject): boolean {
  return nodeVerify('sha256', s.message, { key, dsaEncoding: 'ieee-p1363' }, s.signature);
}

type Verifier = (s: Sample) => boolean;

const verifiers: ReadonlyArray<readonly [string, Verifier]> = [
  ['secp256k1 5.0.2 (libsecp256k1 N-API), raw', (s) => native.ecdsaVerify(s.signature, s.hash, s.pubkey)],
  ['verifySecp256k1 (Cairn, wraps the above)', (s) => verifySecp256k1(s.pubkey, s.hash, s.signature)],
  ['node:crypto, SPKI key import per verify', (s) => nodeCryptoVerify(s, spki(s.pubkey))],
  ['node:crypto, cached KeyObject', (s) => nodeCryptoVerify(s, s.keyObject)],
  ['@noble/curves 2.4 secp256k1.verify', (s) => noble.verify(s.signature, s.hash, s.pubkey, { prehash: false })],
];

interface Row {
  name: string;
  opsPerSecond: number;
  microsPerOp: number;
  note: string;
}

/**
 * Times `pass` (which does `opsPerPass` operations): `rounds` rounds, each running the pass at
 * least once and until `secondsPerRound` have passed, after one untimed warm-up pass (JIT,
 * caches, first-call costs) unless `warmUp` is false. Reports the median round, because the two
 * cores are shared with whatever else runs and single rounds swing by ±30%.
 */
function time(
  opsPerPass: number,
  pass: () => void,
  secondsPerRound: number,
  { rounds = 5, warmUp = true }: { rounds?: number; warmUp?: boolean } = {},
): { opsPerSecond: number; microsPerOp: number } {
  if (warmUp) pass();
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let ops = 0;
    const start = process.hrtime.bigint();
    let elapsedNs: bigint;
    do {
      pass();
      ops += opsPerPass;
      elapsedNs = process.hrtime.bigint() - start;
    } while (elapsedNs < BigInt(Math.round(secondsPerRound * 1e9)));
    rates.push(ops / (Number(elapsedNs) / 1e9));
  }
  rates.sort((a, b) => a - b);
  const opsPerSecond = rates[Math.floor(rates.length / 2)] ?? 0;
  return { opsPerSecond, microsPerOp: 1e6 / opsPerSecond };
}

function highSTwin(s: Sample): Sample {
  const sig = s.signature;
  const sValue = BigInt('0x' + Buffer.from(sig.subarray(32)).toString('hex'));
  const twin = new Uint8Array(64);
  twin.set(sig.subarray(0, 32));
  twin.set(Buffer.from((N - sValue).toString(16).padStart(64, '0'), 'hex'), 32);
  return { ...s, signature: twin };
}

function benchVerify(samples: Sample[]): Row[] {
  const rows: Row[] = [];
  const first = samples[0];
  if (first === undefined) throw new Error('no samples');
  const twin = highSTwin(first);
  for (const [name, fn] of verifiers) {
    // This correctness pass doubles as the warm-up.
    const accepted = samples.filter(fn).length;
    if (accepted !== samples.length) throw new Error(`${name} rejected ${samples.length - accepted} valid signatures`);
    // Pure JS is ~20x slower: one pass of 2,000 takes ~3 s, so it gets a single timed pass.
    const slow = name.includes('noble');
    const t = time(samples.length, () => {
      for (const s of samples) fn(s);
    }, slow ? 0 : MIN_SECONDS / 5, { rounds: slow ? 1 : 5, warmUp: false });
    rows.push({ name, ...t, note: fn(twin) ? 'ACCEPTS high-S' : 'rejects high-S' });
  }
  // What rejecting costs: a high-S signature fails inside libsecp256k1's verify; a key that is not
  // a curve point (x = 5 has no y) makes the addon throw, which the wrapper turns into false.
  const highS = samples.map(highSTwin);
  const offCurve = samples.map((s) => ({ ...s, pubkey: Uint8Array.of(2, ...new Uint8Array(31), 5) }));
  for (const [name, set] of [['verifySecp256k1 rejecting high-S', highS], ['verifySecp256k1 rejecting an off-curve key', offCurve]] as const) {
    if (set.some((s) => verifySecp256k1(s.pubkey, s.hash, s.signature))) throw new Error(`${name}: accepted`);
    const t = time(set.length, () => {
      for (const s of set) verifySecp256k1(s.pubkey, s.hash, s.signature);
    }, 0.1, { warmUp: false });
    rows.push({ name, ...t, note: 'returns false' });
  }
  return rows;
}

/**
 * Ed25519 (receipts, gossip envelopes, gateway requests) through node:crypto: importing the raw key
 * per verification, as verifyEd25519 did, against verifyEd25519 with its KeyObject cache, which a
 * set of keys larger than the cache (every call a miss) pays the import again.
 */
function benchEd25519(): Row[] {
  const ED_SPKI = Buffer.from('302a300506032b6570032100', 'hex');
  const make = (n: number): { key: Uint8Array; message: Uint8Array; signature: Uint8Array }[] =>
    Array.from({ length: n }, (_, i) => {
      const signer = ed25519FromSeed(sha256(new TextEncoder().encode(`cairn bench ed25519 ${i}`)));
      const message = new Uint8Array(randomBytes(256));
      return { key: signer.publicKey, message, signature: signer.sign(message) };
    });
  const few = make(COUNT);
  const many = make(10_000); // more keys than verifyEd25519 keeps
  const cases: ReadonlyArray<readonly [string, typeof few, (s: (typeof few)[number]) => boolean]> = [
    ['node:crypto, SPKI key import per verify', few, (s) => nodeVerify(null, s.message, createPublicKey({ key: Buffer.concat([ED_SPKI, s.key]), format: 'der', type: 'spki' }), s.signature)],
    ['verifyEd25519 (Cairn), 2,000 keys: KeyObject cached', few, (s) => verifyEd25519(s.key, s.message, s.signature)],
    ['verifyEd25519 (Cairn), 10,000 keys cycled: every call a cache miss', many, (s) => verifyEd25519(s.key, s.message, s.signature)],
  ];
  const rows: Row[] = [];
  for (const [name, set, fn] of cases) {
    if (!set.every(fn)) throw new Error(`${name} rejected a valid signature`);
    rows.push({ name, ...time(set.length, () => { for (const s of set) fn(s); }, MIN_SECONDS / 5, { warmUp: false }), note: '' });
  }
  return rows;
}

function benchHashes(): Row[] {
  const rows: Row[] = [];
  const batch = 1_000;
  for (const size of [32, 1024]) {
    const data = new Uint8Array(randomBytes(size));
    const cases: ReadonlyArray<readonly [string, () => unknown]> = [
      [`sha256 ${size} B, node:crypto crypto.hash`, () => hash('sha256', data, 'buffer')],
      [`sha256 ${size} B, node:crypto createHash`, () => createHash('sha256').update(data).digest()],
      [`sha256 ${size} B, Cairn sha256() (crypto.hash)`, () => sha256(data)],
      [`sha256 ${size} B, @noble/hashes 2.4`, () => nobleSha256(data)],
    ];
    for (const [name, fn] of cases) {
      rows.push({ name, ...time(batch, () => { for (let i = 0; i < batch; i++) fn(); }, 0.2), note: '' });
    }
  }
  const sha = new Uint8Array(32);
  const pubkey = native.publicKeyCreate(sha256(new TextEncoder().encode('cairn bench address')), true);
  const more: ReadonlyArray<readonly [string, () => unknown]> = [
    ['ripemd160 32 B, node:crypto (Cairn ripemd160())', () => ripemd160(sha)],
    ['ripemd160 32 B, @noble/hashes/legacy', () => nobleRipemd160(sha)],
    ['pubkeyToAddress (sha256 + ripemd160, node:crypto)', () => pubkeyToAddress(pubkey)],
    ['pubkeyToAddress equivalent with @noble/hashes', () => nobleRipemd160(nobleSha256(pubkey))],
  ];
  for (const [name, fn] of more) {
    rows.push({ name, ...time(batch, () => { for (let i = 0; i < batch; i++) fn(); }, 0.2), note: '' });
  }
  return rows;
}

function table(title: string, rows: Row[]): string {
  const lines = [`| ${title} | ops/s | µs/op | note |`, '|---|---:|---:|---|'];
  for (const r of rows) lines.push(`| ${r.name} | ${fmt(r.opsPerSecond, 0)} | ${fmt(r.microsPerOp, r.microsPerOp < 10 ? 2 : 1)} | ${r.note} |`);
  return lines.join('\n');
}

const samples = makeSamples();
console.log(`Node ${process.version}, OpenSSL ${process.versions.openssl}, ${COUNT} signatures\n`);
console.log(table('secp256k1 verify', benchVerify(samples)));
console.log();
console.log(table('hash', benchHashes()));
console.log();
console.log(table('ed25519 verify', benchEd25519()));
