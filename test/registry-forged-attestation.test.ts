// MsgReportForgedAttestation: an operator gossips an attestation no trusted verifier signed; anyone
// holding the signed envelope gets the operator slashed in full and tombstoned, and earns 20%.
import { beforeEach, describe, expect, it } from 'vitest';
import { AccountKeeper } from '../modules/auth/keeper.ts';
import { BankKeeper } from '../modules/bank/keeper.ts';
import * as E from '../modules/registry/errors.ts';
import { REGISTRY_TYPE_URLS } from '../sdk/registry/messages.ts';
import { FORGED_ATTESTATION_BPS, REPORTER_REWARD_BPS } from '../modules/registry/msgs/report-forged-attestation.ts';
import { sealAttestations } from '../node/p2p/envelope.ts';
import { Envelope } from '../proto/gen/cairn/p2p/v1/gossip.ts';
import { QueryOperatorRequest, QueryOperatorResponse } from '../proto/gen/cairn/registry/v1/query.ts';
import type { MsgReportForgedAttestation } from '../proto/gen/cairn/registry/v1/tx.ts';
import { type Attestation, OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import { CHAIN_ID } from './support/app-chain.ts';
import { DENOM, FEE, MIN_BOND, RegistryChain, attestation, ed25519Key, gpu, msgs, registryAppState } from './support/registry.ts';

let rc: RegistryChain;
const w = (i: number) => rc.wallets[i]!;
const [OP, REPORTER] = [0, 3];
const OP_KEY = 10;
const bank = new BankKeeper(new AccountKeeper());
let op: string;
let reporter: string;
let raw: Uint8Array;

beforeEach(async () => {
  rc = await RegistryChain.start();
  [op, reporter] = [w(OP).address, w(REPORTER).address];
  raw = rc.chain.app.addresses.decode(op);
  await rc.ok(w(OP), msgs.registerOperator(op, OP_KEY));
  await rc.ok(w(OP), msgs.commitGpus(op, [gpu('g0')]));
});

/** The attestation as gossiped, signed by `verifierSeed` (the trusted VERIFIER when undefined). */
function gossiped(verifierSeed?: number): Attestation {
  const now = rc.nextBlockTime;
  const m = attestation(raw, op, 'g0', { issuedAt: now - 60n, expiresAt: now + 3600n, ...(verifierSeed === undefined ? {} : { verifier: ed25519Key(verifierSeed) }) });
  return { id: new Uint8Array(), ...m, submittedHeight: 0n };
}

function envelope(attestations: Attestation[], f: { chainId?: string; keySeed?: number } = {}): Uint8Array {
  return sealAttestations(attestations, { chainId: f.chainId ?? CHAIN_ID, operator: op, height: rc.height }, ed25519Key(f.keySeed ?? OP_KEY));
}

function report(envelopeBytes: Uint8Array, index = 0) {
  return { typeUrl: REGISTRY_TYPE_URLS.MsgReportForgedAttestation, value: { reporter, envelope: envelopeBytes, index } satisfies MsgReportForgedAttestation };
}

async function operatorRecord() {
  return (await rc.query('Operator', QueryOperatorRequest, QueryOperatorResponse, { address: op })).operator!;
}

describe('MsgReportForgedAttestation', () => {
  it('slashes the whole bond, tombstones the operator, pays the reporter exactly 20% and burns the rest', async () => {
    expect([FORGED_ATTESTATION_BPS, REPORTER_REWARD_BPS]).toEqual([10_000, 2_000]);
    const store = () => rc.chain.store.committed;
    const [reporterBefore, bondsBefore, supplyBefore] = [await rc.chain.balance(reporter), await rc.bondsBalance(), await bank.supplyOf(store(), DENOM)];
    const evidence = envelope([gossiped(), gossiped(901)]);
    const r = await rc.ok(w(REPORTER), report(evidence, 1));
    const reward = MIN_BOND / 5n;
    expect(await rc.chain.balance(reporter)).toBe(reporterBefore - FEE + reward);
    expect(await rc.bondsBalance()).toBe(bondsBefore - MIN_BOND);
    expect(supplyBefore - (await bank.supplyOf(store(), DENOM))).toBe(MIN_BOND - reward);
    const record = await operatorRecord();
    expect(record.status).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(record.bond).toEqual({ denom: DENOM, amount: '0' });
    expect(r.events.some((e) => e.type === 'forged_attestation')).toBe(true);
  });

  it('pays no reward when the operator reports itself: the whole slash is burned', async () => {
    const supplyBefore = await bank.supplyOf(rc.chain.store.committed, DENOM);
    const balanceBefore = await rc.chain.balance(op);
    await rc.ok(w(OP), { ...report(envelope([gossiped(901)])), value: { reporter: op, envelope: envelope([gossiped(901)]), index: 0 } });
    expect(await rc.chain.balance(op)).toBe(balanceBefore - FEE);
    expect(supplyBefore - (await bank.supplyOf(rc.chain.store.committed, DENOM))).toBe(MIN_BOND);
    expect((await operatorRecord()).status).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
  });

  it('refuses the same evidence a second time, even in another envelope', async () => {
    const forged = gossiped(901);
    await rc.ok(w(REPORTER), report(envelope([forged])));
    await rc.expectRefused(w(REPORTER), report(envelope([gossiped(), forged], { keySeed: OP_KEY }), 1), E.ErrEvidenceReported);
  });

  it('refuses an attestation a trusted verifier did sign', async () => {
    await rc.expectRefused(w(REPORTER), report(envelope([gossiped()])), E.ErrNotForged, 'trusted verifier');
  });

  it('refuses an envelope whose signature does not verify', async () => {
    const sealed = Envelope.decode(envelope([gossiped(901)]));
    const signature = sealed.signature.slice();
    signature[0] = signature[0]! ^ 1;
    await rc.expectRefused(w(REPORTER), report(Envelope.encode({ ...sealed, signature }).finish()), E.ErrBadEnvelopeSignature);
  });

  it('refuses a signer key that is not the operator’s receipt key', async () => {
    await rc.expectRefused(w(REPORTER), report(envelope([gossiped(901)], { keySeed: 77 })), E.ErrUnknownSignerKey);
  });

  it('refuses evidence signed for another chain, an index out of range and bytes that do not decode', async () => {
    await rc.expectRefused(w(REPORTER), report(envelope([gossiped(901)], { chainId: 'other-1' })), E.ErrEvidenceChainId);
    await rc.expectRefused(w(REPORTER), report(envelope([gossiped(901)]), 1), E.ErrEvidenceIndex);
    await rc.expectRefused(w(REPORTER), report(Uint8Array.of(0xff, 0xff, 0xff)), E.ErrUndecodableEvidence);
    await rc.expectRefused(w(REPORTER), report(new Uint8Array(64 * 1024 + 1)), E.ErrUndecodableEvidence);
    expect((await operatorRecord()).status).toBe(OperatorStatus.OPERATOR_STATUS_ACTIVE);
  });

  it('still refuses the evidence after a genesis export and import, which carries it in forged_evidence', async () => {
    const evidence = envelope([gossiped(901)]);
    await rc.ok(w(REPORTER), report(evidence));
    const module = rc.chain.app.modules.find((m) => m.name === 'registry')!;
    const exported = (await module.genesis.export({ store: rc.chain.store.committed, height: rc.height, addresses: rc.chain.app.addresses })) as Record<string, unknown>;
    expect(exported['forged_evidence']).toHaveLength(1);
    const state = { ...registryAppState(rc.wallets.map((x) => x.address)), registry: exported };
    rc = await RegistryChain.start({ appState: state });
    await rc.expectRefused(w(REPORTER), report(evidence), E.ErrEvidenceReported);
  });
});
