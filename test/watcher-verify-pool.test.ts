// The watcher's ed25519 worker pool (node/watcher/verify-pool.ts): the same answers as
// verifyEd25519, garbage refused without losing a worker's service, a crashed worker replaced; and
// with the verifier process (node/watcher/verifier-process.ts) in front of the threads, the same.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ed25519FromSeed, verifyEd25519 } from '../sdk/ed25519.ts';
import { type SignatureCheck, VerifyPool, packChecks, verifyPacked } from '../node/watcher/verify-pool.ts';
import { verifierBinary } from '../node/watcher/verifier-process.ts';

const pools: VerifyPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function pool(threads = 2, chunk = 8, process?: string): VerifyPool {
  const p = new VerifyPool({ threads, chunk, ...(process === undefined ? {} : { process }) });
  pools.push(p);
  return p;
}

const signers = Array.from({ length: 5 }, (_, i) => ed25519FromSeed(new Uint8Array(32).fill(i + 1)));

/** Good and bad checks mixed: wrong key, tampered message, short key and signature, empty message. */
function mixed(n: number): SignatureCheck[] {
  return Array.from({ length: n }, (_, i) => {
    const s = signers[i % signers.length]!;
    const message = Uint8Array.of(i & 0xff, i >> 8, 7);
    const signature = s.sign(message);
    switch (i % 6) {
      case 1:
        return { key: signers[(i + 1) % signers.length]!.publicKey, message, signature };
      case 2:
        return { key: s.publicKey, message: Uint8Array.of(9), signature };
      case 3:
        return { key: s.publicKey.subarray(1), message, signature };
      case 4:
        return { key: s.publicKey, message, signature: signature.subarray(0, 63) };
      case 5:
        return { key: s.publicKey, message: new Uint8Array(), signature: s.sign(new Uint8Array()) };
      default:
        return { key: s.publicKey, message, signature };
    }
  });
}

describe('the verify pool', () => {
  it('answers as verifyEd25519 does, over several chunks and threads', async () => {
    const checks = mixed(100);
    const expected = checks.map((c) => verifyEd25519(c.key, c.message, c.signature));
    expect(expected.filter(Boolean).length).toBeGreaterThan(20);
    expect(await pool().verify(checks)).toEqual(expected);
    expect(await pool(0).verify(checks)).toEqual(expected);
  });

  it('refuses a garbage job with an error and goes on verifying', async () => {
    const p = pool(1);
    await expect(p.runRaw(Uint8Array.of(1, 2, 3))).rejects.toThrow(/verification job refused/);
    await expect(p.runRaw(Uint8Array.of(0, 0, 0, 9, 1, 2))).rejects.toThrow(/runs past the end/);
    const packed = packChecks(mixed(3));
    await expect(p.runRaw(Uint8Array.from([...packed, 0]))).rejects.toThrow(/bytes after the last check/);
    expect(await p.runRaw(packed)).toEqual(Uint8Array.from(mixed(3).map((c) => (verifyEd25519(c.key, c.message, c.signature) ? 1 : 0))));
    expect(p.replaced).toBe(0);
    expect(() => verifyPacked(new Uint8Array(2))).toThrow(RangeError);
  });

  it('replaces a worker that dies and answers the job it held', async () => {
    const p = pool(1, 4);
    const checks = mixed(40);
    const pending = p.verify(checks);
    await p.crashOne();
    expect(await pending).toEqual(checks.map((c) => verifyEd25519(c.key, c.message, c.signature)));
    expect(p.replaced).toBe(1);
    expect(await p.verify(checks.slice(0, 6))).toEqual(checks.slice(0, 6).map((c) => verifyEd25519(c.key, c.message, c.signature)));
  });

  it('refuses work once closed', async () => {
    const p = pool(1);
    await p.close();
    await expect(p.verify(mixed(2))).rejects.toThrow(/closed/);
  });
});

describe('the verify pool with the verifier process', () => {
  const binary = verifierBinary();
  const answers = (checks: SignatureCheck[]): boolean[] => checks.map((c) => verifyEd25519(c.key, c.message, c.signature));

  it('is built by the setup', () => {
    expect(existsSync(binary), `${binary} is missing: run npm run setup`).toBe(true);
  });

  it('answers as verifyEd25519 does, the process first and the threads for what it refuses', async () => {
    const checks = mixed(100);
    for (const threads of [2, 0]) {
      const p = pool(threads, 8, binary);
      expect(await p.verify(checks)).toEqual(answers(checks));
      expect(p.processPid).toBeGreaterThan(0);
      expect(p.processFailures).toBe(0);
    }
  });

  it('answers what a dying process held, and everything after, on the threads', async () => {
    const p = pool(1, 4, binary);
    const checks = mixed(60);
    expect(await p.verify(checks.slice(0, 4))).toEqual(answers(checks.slice(0, 4)));
    const pending = p.verify(checks);
    p.crashProcess();
    expect(await pending).toEqual(answers(checks));
    expect(await p.verify(checks)).toEqual(answers(checks));
    expect(p.processPid).toBeUndefined();
  });

  it('refuses a garbage job as the threads do, and the process goes on serving', async () => {
    const p = pool(1, 8, binary);
    await expect(p.runRaw(Uint8Array.of(0, 0, 0, 9, 1, 2))).rejects.toThrow(/runs past the end/);
    const packed = packChecks(mixed(3));
    await expect(p.runRaw(Uint8Array.from([...packed, 0]))).rejects.toThrow(/bytes after the last check/);
    expect(await p.verify(mixed(12))).toEqual(answers(mixed(12)));
    expect(p.processPid).toBeGreaterThan(0);
    expect(p.processFailures).toBe(0);
  });
});
