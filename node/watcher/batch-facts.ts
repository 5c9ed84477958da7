// The facts one batch's receipts are judged against, for the length of that judgement: each chain
// record is read once (a batch's 10,000 receipts share one operator, one payer, a few keys and
// block times), and with a verify pool every signature is verified ahead on worker threads, so
// judgeReceipt finds its answers ready instead of spending the main thread on ed25519.
import type { ReceiptFacts } from '../../modules/receipts/checks.ts';
import { verifyEd25519Fast } from './fast-ed25519.ts';
import { type Receipt, ReceiptFormatError, receiptSignBytes } from '../../sdk/receipts/receipt.ts';
import type { SignatureCheck, VerifyPool } from './verify-pool.ts';

function memo<K, V>(read: (k: K) => Promise<V>, id: (k: K) => string): (k: K) => Promise<V> {
  const seen = new Map<string, Promise<V>>();
  return (k) => {
    const key = id(k);
    let p = seen.get(key);
    if (p === undefined) {
      p = read(k);
      seen.set(key, p);
    }
    return p;
  };
}

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');

/** Receipts whose signatures go to the pool together: judging starts when the first group is back. */
export const GROUP = 256;

/** A batch's facts, and when the signatures of receipt `index` are verified (a pool's answers are in). */
export interface BatchFacts {
  readonly facts: ReceiptFacts;
  ready(index: number): Promise<void>;
}

/**
 * `facts` with reads remembered (dropped with the returned object) and, given a pool, the receipts'
 * payer and operator signatures (against every receipt key of `operator`) sent to the pool's
 * threads GROUP receipts at a time, so that the first receipts can be judged while the pool verifies
 * the rest.
 */
export async function batchFacts(facts: ReceiptFacts, operator: string, receipts: readonly Receipt[], pool: VerifyPool | undefined): Promise<BatchFacts> {
  const payerKeys = new Map<string, ReturnType<ReceiptFacts['payerKey']>>();
  const remembered: ReceiptFacts = {
    chainId: facts.chainId,
    chargeVerify: (what) => facts.chargeVerify(what),
    heightAt: memo((t: bigint) => facts.heightAt(t), String),
    receiptKeysOf: memo((o: string) => facts.receiptKeysOf(o), String),
    payerKey: (payer, key) => {
      const id = `${payer}/${latin1(key)}`;
      let p = payerKeys.get(id);
      if (p === undefined) {
        p = facts.payerKey(payer, key);
        payerKeys.set(id, p);
      }
      return p;
    },
    attestation: memo((id: Uint8Array) => facts.attestation(id), latin1),
  };
  if (pool === undefined) return { facts: remembered, ready: async () => {} };

  const keys = await remembered.receiptKeysOf(operator);
  // The judge asks about r.payerSignature and r.operatorSignature, the very arrays checked here:
  // answers are found by the signature object (no key strings for 20,000 lookups a batch), then
  // the key and message are compared; a question about anything else is answered by verifying it here.
  const answers = new WeakMap<Uint8Array, { key: Uint8Array; message: Uint8Array; ok: boolean }[]>();
  // Each receipt's sign bytes, built once here for the pool and handed to the judge.
  const signBytes = new WeakMap<Receipt, Uint8Array>();
  const groups: Promise<void>[] = [];
  for (let start = 0; start < receipts.length; start += GROUP) {
    // Sign bytes for 10,000 receipts are ~0.1 s of this thread: the node's other work goes between groups.
    if (start > 0) await new Promise((r) => setImmediate(r));
    const checks: SignatureCheck[] = [];
    for (const r of receipts.slice(start, start + GROUP)) {
      let message: Uint8Array;
      try {
        message = receiptSignBytes(r);
        signBytes.set(r, message);
      } catch (e) {
        if (e instanceof ReceiptFormatError) continue; // judged malformed without any signature
        throw e;
      }
      checks.push({ key: r.payerKey, message, signature: r.payerSignature });
      for (const k of keys) checks.push({ key: k.key, message, signature: r.operatorSignature });
    }
    const group = pool.verify(checks).then((results) => {
      for (let i = 0; i < checks.length; i++) {
        const c = checks[i]!;
        const list = answers.get(c.signature);
        const answer = { key: c.key, message: c.message, ok: results[i]! };
        if (list === undefined) answers.set(c.signature, [answer]);
        else list.push(answer);
      }
    });
    group.catch(() => {}); // awaited through ready(); the judge may stop before the last group
    groups.push(group);
  }
  return {
    facts: {
      ...remembered,
      signBytes: (r) => signBytes.get(r) ?? receiptSignBytes(r),
      verifySignature: (key, message, signature) => {
        for (const a of answers.get(signature) ?? []) {
          if ((a.key === key || Buffer.compare(a.key, key) === 0) && (a.message === message || Buffer.compare(a.message, message) === 0)) return a.ok;
        }
        return verifyEd25519Fast(key, message, signature);
      },
    },
    ready: (index) => groups[Math.floor(index / GROUP)] ?? Promise.resolve(),
  };
}
