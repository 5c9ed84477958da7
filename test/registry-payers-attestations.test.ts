// Payer receipt keys and TEE attestations.
import { beforeEach, describe, expect, it } from 'vitest';
import * as E from '../modules/registry/errors.ts';
import { RegistryKeeper } from '../modules/registry/keeper.ts';
import { BankKeeper } from '../modules/bank/keeper.ts';
import { AccountKeeper } from '../modules/auth/keeper.ts';
import {
  QueryAttestationsRequest,
  QueryAttestationsResponse,
  QueryOperatorRequest,
  QueryOperatorResponse,
  QueryPayerKeysRequest,
  QueryPayerKeysResponse,
} from '../proto/gen/cairn/registry/v1/query.ts';
import { TeeType, TrustLevel } from '../proto/gen/cairn/registry/v1/types.ts';
import { MsgSubmitAttestationResponse } from '../proto/gen/cairn/registry/v1/tx.ts';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { RegistryChain, attestation, ed25519Key, gpu, msgs } from './support/registry.ts';

let rc: RegistryChain;
const w = (i: number) => rc.wallets[i]!;
const [OP, PAYER] = [0, 3];
let op: string;
let payer: string;
const keeper = new RegistryKeeper(new BankKeeper(new AccountKeeper()));

beforeEach(async () => {
  rc = await RegistryChain.start({ params: { max_payer_keys: 2, max_attestation_validity_seconds: '86400' } });
  [op, payer] = [w(OP).address, w(PAYER).address];
});

describe('MsgAuthorizePayerKey and MsgRevokePayerKey', () => {
  const key = ed25519Key(40).publicKey;

  async function keys(includeRevoked: boolean) {
    return (await rc.query('PayerKeys', QueryPayerKeysRequest, QueryPayerKeysResponse, { payer, includeRevoked, pagination: undefined })).keys;
  }

  it('authorises a key from its height on and revokes it from the revocation height on, keeping the record', async () => {
    await rc.ok(w(PAYER), msgs.authorizePayerKey(payer, key, 'managed-api'));
    const authorized = rc.height;
    expect(await keys(false)).toEqual([{ payer, key, label: 'managed-api', authorizedHeight: authorized, revokedHeight: 0n }]);
    await rc.ok(w(PAYER), msgs.revokePayerKey(payer, key));
    const revoked = rc.height;
    expect(await keys(false)).toEqual([]);
    expect((await keys(true))[0]!.revokedHeight).toBe(revoked);
    const store = rc.chain.store.committed;
    const raw = rc.chain.app.addresses.decode(payer);
    expect(await keeper.payerKeyAuthorized(store, raw, key, authorized - 1n)).toBe(false);
    expect(await keeper.payerKeyAuthorized(store, raw, key, authorized)).toBe(true);
    expect(await keeper.payerKeyAuthorized(store, raw, key, revoked - 1n)).toBe(true);
    expect(await keeper.payerKeyAuthorized(store, raw, key, revoked)).toBe(false);
    expect(await keeper.payerKeyAuthorized(store, rc.chain.app.addresses.decode(op), key, authorized)).toBe(false);
  });

  it('refuses a key that is not 32 bytes', async () => {
    for (const length of [0, 31, 33]) await rc.expectRefused(w(PAYER), msgs.authorizePayerKey(payer, new Uint8Array(length).fill(2)), E.ErrInvalidKey, `key has ${length} bytes`);
    await rc.expectRefused(w(PAYER), msgs.revokePayerKey(payer, new Uint8Array(31)), E.ErrInvalidKey);
  });

  it('refuses authorising a key twice, re-authorising a revoked key, and revoking an unknown or revoked key', async () => {
    await rc.expectRefused(w(PAYER), msgs.revokePayerKey(payer, key), E.ErrPayerKeyNotFound);
    await rc.ok(w(PAYER), msgs.authorizePayerKey(payer, key));
    await rc.expectRefused(w(PAYER), msgs.authorizePayerKey(payer, key), E.ErrPayerKeyExists);
    await rc.ok(w(PAYER), msgs.revokePayerKey(payer, key));
    await rc.expectRefused(w(PAYER), msgs.revokePayerKey(payer, key), E.ErrPayerKeyNotFound, 'already revoked');
    await rc.expectRefused(w(PAYER), msgs.authorizePayerKey(payer, key), E.ErrPayerKeyRevoked);
  });

  it('refuses more active keys than max_payer_keys, counting only unrevoked ones', async () => {
    await rc.ok(w(PAYER), msgs.authorizePayerKey(payer, ed25519Key(41).publicKey));
    await rc.ok(w(PAYER), msgs.authorizePayerKey(payer, ed25519Key(42).publicKey));
    await rc.expectRefused(w(PAYER), msgs.authorizePayerKey(payer, ed25519Key(43).publicKey), E.ErrTooManyPayerKeys);
    await rc.ok(w(PAYER), msgs.revokePayerKey(payer, ed25519Key(41).publicKey));
    await rc.ok(w(PAYER), msgs.authorizePayerKey(payer, ed25519Key(43).publicKey));
  });

  it('refuses a label with control characters or over 64 characters', async () => {
    await rc.expectRefused(w(PAYER), msgs.authorizePayerKey(payer, key, 'a\u0000b'), E.ErrInvalidLabel);
    await rc.expectRefused(w(PAYER), msgs.authorizePayerKey(payer, key, 'x'.repeat(65)), E.ErrInvalidLabel);
  });
});

describe('MsgSubmitAttestation', () => {
  let raw: Uint8Array;

  beforeEach(async () => {
    raw = rc.chain.app.addresses.decode(op);
    await rc.ok(w(OP), msgs.registerOperator(op, 1));
    await rc.ok(w(OP), msgs.commitGpus(op, [gpu('g0'), gpu('g1', { teeTypes: [TeeType.TEE_TYPE_NONE] })]));
  });

  async function current() {
    return rc.query('Attestations', QueryAttestationsRequest, QueryAttestationsResponse, { operator: op });
  }

  async function trust(): Promise<number> {
    return (await rc.query('Operator', QueryOperatorRequest, QueryOperatorResponse, { address: op })).trustLevel;
  }

  it('records a verifier-signed attestation that counts until it expires', async () => {
    const now = rc.nextBlockTime;
    const msg = attestation(raw, op, 'g0', { issuedAt: now - 60n, expiresAt: now + 12n });
    const r = await rc.ok(w(OP), msgs.submitAttestation(msg));
    expect(r.events.find((e) => e.type === 'submit_attestation')).toBeDefined();
    const res = await current();
    expect(res.blockTime).toBe(now);
    expect(res.attestations).toMatchObject([{ operator: op, gpuId: 'g0', teeType: TeeType.TEE_TYPE_SEV_SNP, submittedHeight: rc.height }]);
    expect(await trust()).toBe(TrustLevel.TRUST_LEVEL_VERIFIED_TEE);
    const counted = rc.height;
    await rc.block();
    await rc.block();
    await rc.block(); // block time now+15 >= expires_at
    expect((await current()).attestations).toEqual([]);
    expect(await trust()).toBe(TrustLevel.TRUST_LEVEL_NONE);
    // at the height where it still counted, the query still says so
    const past = await rc.query('Attestations', QueryAttestationsRequest, QueryAttestationsResponse, { operator: op }, counted);
    expect(past.attestations).toHaveLength(1);
  });

  it('accepts TEE type none without a verifier and ranks it below a verified TEE', async () => {
    const now = rc.nextBlockTime;
    await rc.ok(w(OP), msgs.submitAttestation(attestation(raw, op, 'g1', { teeType: TeeType.TEE_TYPE_NONE, issuedAt: now, expiresAt: now + 100n })));
    expect(await trust()).toBe(TrustLevel.TRUST_LEVEL_SELF_DECLARED);
    await rc.ok(w(OP), msgs.submitAttestation(attestation(raw, op, 'g0', { issuedAt: now, expiresAt: now + 100n })));
    expect(await trust()).toBe(TrustLevel.TRUST_LEVEL_VERIFIED_TEE);
  });

  it('refuses an attestation with a bad verifier signature', async () => {
    const now = rc.nextBlockTime;
    const msg = attestation(raw, op, 'g0', { issuedAt: now, expiresAt: now + 100n });
    await rc.expectRefused(w(OP), msgs.submitAttestation({ ...msg, signature: msg.signature.map((b, i) => (i === 0 ? b ^ 1 : b)) }), E.ErrBadVerifierSignature);
    await rc.expectRefused(w(OP), msgs.submitAttestation({ ...msg, measurement: new Uint8Array(48).fill(4) }), E.ErrBadVerifierSignature);
    await rc.expectRefused(w(OP), msgs.submitAttestation({ ...msg, signature: msg.signature.subarray(0, 63) }), E.ErrBadVerifierSignature, 'signature has 63 bytes');
  });

  it('refuses a signature over another chain id or for another operator', async () => {
    const now = rc.nextBlockTime;
    const forBob = attestation(rc.chain.app.addresses.decode(w(1).address), op, 'g0', { issuedAt: now, expiresAt: now + 100n });
    await rc.expectRefused(w(OP), msgs.submitAttestation(forBob), E.ErrBadVerifierSignature);
  });

  it('refuses a verifier outside the trusted set', async () => {
    const now = rc.nextBlockTime;
    await rc.expectRefused(w(OP), msgs.submitAttestation(attestation(raw, op, 'g0', { issuedAt: now, expiresAt: now + 100n, verifier: ed25519Key(901) })), E.ErrUntrustedVerifier);
  });

  it('refuses an attestation expiring before it was issued, already expired, or valid for too long', async () => {
    const now = rc.nextBlockTime;
    await rc.expectRefused(w(OP), msgs.submitAttestation(attestation(raw, op, 'g0', { issuedAt: now, expiresAt: now - 1n })), E.ErrInvalidAttestation, 'is not after issued_at');
    await rc.expectRefused(w(OP), msgs.submitAttestation(attestation(raw, op, 'g0', { issuedAt: now, expiresAt: now })), E.ErrInvalidAttestation);
    await rc.expectRefused(w(OP), msgs.submitAttestation(attestation(raw, op, 'g0', { issuedAt: now - 100n, expiresAt: now - 1n })), E.ErrAttestationExpired);
    await rc.expectRefused(w(OP), msgs.submitAttestation(attestation(raw, op, 'g0', { issuedAt: now, expiresAt: now + 86_401n })), E.ErrInvalidAttestation, 'max_attestation_validity_seconds');
  });

  it('refuses an unknown GPU, a TEE type the GPU does not declare, a replay and malformed fields', async () => {
    const now = rc.nextBlockTime;
    await rc.expectRefused(w(OP), msgs.submitAttestation(attestation(raw, op, 'g9', { issuedAt: now, expiresAt: now + 100n })), E.ErrGpuNotFound);
    await rc.expectRefused(w(OP), msgs.submitAttestation(attestation(raw, op, 'g0', { teeType: TeeType.TEE_TYPE_TDX, issuedAt: now, expiresAt: now + 100n })), E.ErrTeeMismatch);
    const good = attestation(raw, op, 'g0', { issuedAt: now, expiresAt: now + 100n });
    await rc.ok(w(OP), msgs.submitAttestation(good));
    await rc.expectRefused(w(OP), msgs.submitAttestation(good), E.ErrDuplicateAttestation);
    await rc.expectRefused(w(OP), msgs.submitAttestation({ ...good, verifier: good.verifier.subarray(0, 31) }), E.ErrInvalidKey);
    await rc.expectRefused(w(OP), msgs.submitAttestation({ ...good, teeType: 0 as TeeType }), E.ErrInvalidAttestation, 'not a known TEE type');
    await rc.expectRefused(w(OP), msgs.submitAttestation({ ...good, reportHash: new Uint8Array(5) }), E.ErrInvalidAttestation, 'report_hash');
    const none = attestation(raw, op, 'g1', { teeType: TeeType.TEE_TYPE_NONE, issuedAt: now, expiresAt: now + 100n });
    await rc.expectRefused(w(OP), msgs.submitAttestation({ ...none, verifier: good.verifier, signature: good.signature }), E.ErrInvalidAttestation, 'carries no verifier');
  });

  it('makes the newest attestation of a GPU its current one, and keeps the old one by id', async () => {
    const now = rc.nextBlockTime;
    const first = attestation(raw, op, 'g0', { issuedAt: now, expiresAt: now + 100n });
    const r = await rc.ok(w(OP), msgs.submitAttestation(first));
    const firstId = MsgSubmitAttestationResponse.decode(TxMsgData.decode(r.data).msgResponses[0]!.value).id;
    expect(firstId).toHaveLength(32);
    const second = attestation(raw, op, 'g0', { issuedAt: now + 1n, expiresAt: now + 200n });
    await rc.ok(w(OP), msgs.submitAttestation(second));
    const res = await current();
    expect(res.attestations.map((a) => a.expiresAt)).toEqual([now + 200n]);
    const kept = await keeper.getAttestation(rc.chain.store.committed, firstId);
    expect(kept).toMatchObject({ gpuId: 'g0', expiresAt: now + 100n, signature: first.signature });
  });
});
