// One judge: the watcher judges a receipt with the chain's own function (modules/receipts/checks.ts)
// over chain state read by ABCI queries, the chain with the same function over its keepers. For
// every kind of bad receipt (and the valid ones next to them) the watcher's verdict is exactly the
// verdict ChallengeReceipt reaches: same fault kind, same detail, or "valid" on both sides.
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { beforeEach, describe, expect, it } from 'vitest';
import { judgeReceipt, type Verdict } from '../modules/receipts/checks.ts';
import { MsgSubmitAttestationResponse } from '../proto/gen/cairn/registry/v1/tx.ts';
import { OperatorStatus, TeeType } from '../proto/gen/cairn/registry/v1/types.ts';
import { BatchStatus, FaultKind, type Receipt } from '../proto/gen/cairn/receipts/v1/types.ts';
import { type Batch, buildBatch, inclusionProof } from '../sdk/receipts/batch.ts';
import { SumTree, receiptLeaf } from '../sdk/receipts/merkle.ts';
import { signReceipt } from '../sdk/receipts/receipt.ts';
import { silentLogger } from '../node/log.ts';
import { appChainView } from '../node/p2p/service.ts';
import { queryReceiptFacts } from '../node/watcher/facts.ts';
import { queryWatcherChain } from '../node/watcher/sources.ts';
import { Watcher } from '../node/watcher/watcher.ts';
import { fixedKey } from './support/receipts-fixtures.ts';
import { CHALLENGE_BOND, CHAIN_ID, DENOM, GPU_ID, ReceiptsChain, receiptMsgs } from './support/receipts-chain.ts';
import { attestation, msgs as registryMsgs } from './support/registry.ts';
import { openClaims } from './support/watcher.ts';

let rc: ReceiptsChain;

beforeEach(async () => {
  rc = await ReceiptsChain.start();
});

const resign = (r: Receipt, payerKey = rc.payerKey, operatorKey = rc.operatorKey): Receipt => signReceipt(signReceipt(r, 'payer', payerKey), 'operator', operatorKey);

/** What a cheating operator builds: buildBatch's checks skipped. */
function cheatBatch(receipts: Receipt[]): Batch {
  const sorted = receipts.slice().sort((a, b) => Buffer.compare(a.id, b.id));
  const tree = SumTree.build(sorted.map(receiptLeaf));
  const honest = buildBatch(rc.receipts(1));
  return { header: { ...honest.header, root: tree.root.hash, count: tree.root.count, amount: tree.root.amount }, receipts: sorted, tree };
}

/** Each case prepares the chain and returns the receipt to judge, and whether the chain calls it valid. */
const cases: [string, () => Promise<Receipt>, 'valid' | 'fraud' | 'stale'][] = [
  ['a payer key the payer never authorised', async () => resign({ ...rc.receipts(1)[0]!, payerKey: fixedKey('rogue').publicKey }, fixedKey('rogue')), 'fraud'],
  [
    'a payer key revoked before the receipt finished',
    async () => {
      const key = fixedKey('gateway-2');
      await rc.ok('payer', registryMsgs.authorizePayerKey(rc.address('payer'), key.publicKey));
      await rc.ok('payer', registryMsgs.revokePayerKey(rc.address('payer'), key.publicKey));
      await rc.advance(1);
      const t = rc.timeOf(rc.height);
      return resign({ ...rc.receipts(1)[0]!, payerKey: key.publicKey, startedAt: t, finishedAt: t }, key);
    },
    'fraud',
  ],
  [
    'a payer key revoked after the receipt finished (valid)',
    async () => {
      const key = fixedKey('gateway-2');
      await rc.ok('payer', registryMsgs.authorizePayerKey(rc.address('payer'), key.publicKey));
      const t = rc.timeOf(rc.height);
      await rc.ok('payer', registryMsgs.revokePayerKey(rc.address('payer'), key.publicKey));
      return resign({ ...rc.receipts(1)[0]!, payerKey: key.publicKey, startedAt: t, finishedAt: t }, key);
    },
    'valid',
  ],
  [
    'an operator key used after it was rotated out',
    async () => {
      await rc.ok('operator', registryMsgs.rotateReceiptKey(rc.address('operator'), fixedKey('operator-key-2').publicKey));
      await rc.advance(1);
      const t = rc.timeOf(rc.height);
      return resign({ ...rc.receipts(1)[0]!, startedAt: t, finishedAt: t });
    },
    'fraud',
  ],
  [
    'an operator key used before it was rotated out (valid)',
    async () => {
      const t = rc.timeOf(rc.height);
      await rc.ok('operator', registryMsgs.rotateReceiptKey(rc.address('operator'), fixedKey('operator-key-2').publicKey));
      return resign({ ...rc.receipts(1)[0]!, startedAt: t, finishedAt: t });
    },
    'valid',
  ],
  ['a time outside the epoch', async () => {
    const r = rc.receipts(1)[0]!;
    return resign({ ...r, startedAt: r.startedAt - 100n, finishedAt: r.finishedAt - 100n });
  }, 'fraud'],
  [
    'a stale attestation',
    async () => {
      const operator = rc.address('operator');
      const issuedAt = rc.timeOf(11n);
      const res = await rc.ok('operator', registryMsgs.submitAttestation(attestation(rc.chain.app.addresses.decode(operator), operator, GPU_ID, { teeType: TeeType.TEE_TYPE_NONE, issuedAt, expiresAt: rc.timeOf(13n) })));
      const attestationId = MsgSubmitAttestationResponse.decode(TxMsgData.decode(res.data).msgResponses[0]!.value).id;
      await rc.advanceTo(15n);
      return resign({ ...rc.receipts(1)[0]!, attestationId, startedAt: issuedAt, finishedAt: rc.timeOf(14n) });
    },
    'stale',
  ],
  ['an attestation the registry never accepted', async () => resign({ ...rc.receipts(1)[0]!, attestationId: new Uint8Array(32).fill(7) }), 'fraud'],
  ['an amount that is not units × price', async () => {
    const r = rc.receipts(1)[0]!;
    return resign({ ...r, amount: (BigInt(r.amount) + 1n).toString() });
  }, 'fraud'],
  ['a payer signature that does not verify', async () => ({ ...rc.receipts(1)[0]!, payerSignature: new Uint8Array(64).fill(1) }), 'fraud'],
  ['an operator signature by a stranger', async () => signReceipt(rc.receipts(1)[0]!, 'operator', fixedKey('stranger')), 'fraud'],
  ['another model than the batch’s', async () => resign({ ...rc.receipts(1)[0]!, modelId: 'other-model' }), 'fraud'],
  ['an honest receipt (valid)', async () => rc.receipts(1)[0]!, 'valid'],
];

describe('the watcher and ChallengeReceipt judge with one function', () => {
  for (const [what, make, expected] of cases) {
    it(`agree on ${what}`, async () => {
      const bad = await make();
      const batch = cheatBatch([...rc.receipts(3), bad]);
      const index = batch.receipts.indexOf(bad);
      const s = await rc.submit(batch);
      const record = await rc.batch(s.id);
      // The watcher's verdict, from queries only.
      const watcherVerdict = await judgeReceipt(queryReceiptFacts(async (path, data) => rc.chain.query(path, data), () => CHAIN_ID), record, bad);
      // The chain's, from the challenge itself.
      const tx = await rc.tx('challenger', receiptMsgs.challengeReceipt(rc.address('challenger'), s.id, bad, inclusionProof(batch, index)));
      const after = await rc.batch(s.id);
      const chainVerdict: Verdict = tx.code === 0 ? { ok: false, kind: after.fault!.kind, detail: after.fault!.detail.replace(`leaf ${index}: `, '') } : { ok: true };
      if (tx.code !== 0) expect(tx.log).toContain('is a valid receipt');
      expect(watcherVerdict).toEqual(chainVerdict);
      const kind = { valid: undefined, fraud: FaultKind.FAULT_KIND_RECEIPT_FRAUD, stale: FaultKind.FAULT_KIND_STALE_ATTESTATION }[expected];
      expect(watcherVerdict.ok ? undefined : watcherVerdict.kind).toBe(kind);
    });
  }
});

describe('a watcher with the chain’s judge', () => {
  it('challenges a receipt signed by a payer key the payer never authorised, and the chain slashes for it', async () => {
    const rogue = fixedKey('rogue');
    const forged = resign({ ...rc.receipts(1)[0]!, unitsOut: 1_000_000n, amount: '0', payerKey: rogue.publicKey }, rogue);
    const priced = resign({ ...forged, amount: ((forged.unitsIn + forged.unitsOut) * BigInt(forged.unitPrice)).toString() }, rogue);
    // Both signatures verify and the batch builds: only the payer-key check tells it is forged.
    const batch = buildBatch([...rc.receipts(5), priced]);
    const s = await rc.submit(batch);
    const bond = await rc.bond();
    const sent: EncodeObject[] = [];
    const data = new Map([[Buffer.from(batch.header.root).toString('hex'), batch.receipts]]);
    const w = new Watcher({
      claims: await openClaims(),
      chain: queryWatcherChain(async (path, bytes) => rc.chain.query(path, bytes), appChainView(rc.chain.app)),
      source: { receiptsOf: async (root) => data.get(Buffer.from(root).toString('hex')) },
      submitter: {
        address: rc.address('challenger'),
        submit: async (msgs) => {
          sent.push(...msgs);
          await rc.ok('challenger', msgs);
        },
      },
      logger: silentLogger,
      requestBond: { denom: DENOM, amount: CHALLENGE_BOND.toString() },
    });
    await w.checkOnce();
    expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.receipts.v1.MsgChallengeReceipt']);
    const b = await rc.batch(s.id);
    expect(b.status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect(b.fault).toMatchObject({ kind: FaultKind.FAULT_KIND_RECEIPT_FRAUD, prover: rc.address('challenger') });
    expect(b.fault!.detail).toContain('was not authorised by the payer');
    expect(await rc.bond()).toBe(bond - bond / 2n);
    expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(w.metrics).toMatchObject({ challengeReceipt: 1, submitFailures: 0 });
  });
});
