// One address, one spelling (issue 13, finding 8). Bech32 decodes "CAIRN1…" to the same bytes as
// "cairn1…", and the chain compares the addresses it records as text: an operator that spelled its
// own address in upper case got a second identity (a double claim "by different operators"), and a
// challenger that spelled the operator in upper case made the operator's normal proof miss its
// challenge. Every address the chain reads must now be in the lower-case spelling, or it is refused
// with ErrInvalidAddress and nothing changes.
import type { EncodeObject } from '@cosmjs/proto-signing';
import { QueryBalanceRequest } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { QueryAccountRequest } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { describe, expect, it } from 'vitest';
import { capacitySignBytes } from '../sdk/emission/sign-bytes.ts';
import * as emissionKeys from '../modules/emission/keys.ts';
import { BatchStatus } from '../proto/gen/cairn/receipts/v1/types.ts';
import { QueryEscrowRequest } from '../proto/gen/cairn/receipts/v1/query.ts';
import { QueryOpenChallengesRequest } from '../proto/gen/cairn/emission/v1/query.ts';
import { QueryOperatorRequest } from '../proto/gen/cairn/registry/v1/query.ts';
import * as royaltyQuery from '../proto/gen/cairn/royalty/v1/query.ts';
import { ChallengeStatus, type CapacityChallenge } from '../proto/gen/cairn/emission/v1/types.ts';
import { buildBatch } from '../sdk/receipts/batch.ts';
import { ReceiptFormatError, receiptProblems, signReceipt } from '../sdk/receipts/receipt.ts';
import { EMISSION_TYPE_URLS } from '../sdk/emission/messages.ts';
import { REGISTRY_TYPE_URLS } from '../sdk/registry/messages.ts';
import { ROYALTY_TYPE_URLS } from '../sdk/royalty/messages.ts';
import { moduleAddress } from '../core/framework/address.ts';
import { addGenesisAccount } from '../node/genesis.ts';
import { defaultAppState } from '../node/genesis.ts';
import { CHAIN_ID, checkAppState } from './support/app-chain.ts';
import { startEmissionChain } from './support/emission-chain.ts';
import { GPU_ID, ReceiptsChain, type Role, receiptMsgs, roleWallets } from './support/receipts-chain.ts';
import { VERIFIER } from './support/registry.ts';

const INVALID_ADDRESS = { code: 7, codespace: 'sdk' };
const upper = (address: string): string => address.toUpperCase();

describe('an upper-case address cannot defeat the double-claim proof', () => {
  it('a receipt already claimed cannot be claimed again under the operator upper-cased: the batch is refused at submission and the payer pays once', async () => {
    const rc = await ReceiptsChain.start({ receipts: { dispute_window_blocks: '12', escrow_withdraw_delay: '20' } });
    const first = buildBatch(rc.receipts(3));
    const a = await rc.submit(first);
    await rc.revealSample(a);
    await rc.advanceTo((await rc.batch(a.id)).revealDeadline + 1n);
    const escrow = await rc.escrow();
    expect(escrow.locked).toBe(first.header.amount);

    // The operator's own address upper-cased: same bytes, so its signature on the tx stays valid.
    const dup = first.receipts[0]!;
    const second = buildBatch([dup, ...rc.receipts(2)]);
    await rc.expectRefused('operator', receiptMsgs.submit({ ...rc.submitMsg(second, 'escrow'), operator: upper(rc.address('operator')) }), INVALID_ADDRESS, /upper-case/);
    // The receipts upper-cased as well, so that they would match the batch: still refused.
    const shouted = buildBatch([dup, ...rc.receipts(2)].map((r) => ({ ...r, operator: upper(r.operator) })));
    await rc.expectRefused('operator', receiptMsgs.submit({ ...rc.submitMsg(second, 'escrow'), root: shouted.header.root, operator: upper(rc.address('operator')) }), INVALID_ADDRESS, /upper-case/);
    // The payer upper-cased instead: its escrow is the same account, and is not locked twice either.
    await rc.expectRefused('operator', receiptMsgs.submit({ ...rc.submitMsg(second, 'escrow'), payer: upper(rc.address('payer')) }), INVALID_ADDRESS, /upper-case/);
    expect(await rc.escrow()).toEqual(escrow);

    // The first batch finalizes and the payer has paid for the receipt once.
    await rc.advanceTo((await rc.batch(a.id)).disputeEnd + 1n);
    expect((await rc.batch(a.id)).status).toBe(BatchStatus.BATCH_STATUS_FINALIZED);
    expect(await rc.escrow()).toEqual({ available: escrow.available, locked: 0n });
  });

  it('a receipt naming an address upper-cased does not encode, sign or verify', async () => {
    const rc = await ReceiptsChain.start();
    const [r] = rc.unsignedReceipts(1);
    for (const field of ['operator', 'payer'] as const) {
      const shouted = { ...r!, [field]: upper(r![field]) };
      expect(() => signReceipt(shouted, 'payer', rc.payerKey)).toThrow(ReceiptFormatError);
      const signed = signReceipt(signReceipt(r!, 'payer', rc.payerKey), 'operator', rc.operatorKey);
      // Signatures over the lower-case receipt do not make the upper-cased copy valid.
      expect(receiptProblems({ ...signed, [field]: upper(signed[field]) }, { operatorKey: rc.operatorKey.publicKey })).toEqual([expect.stringMatching(new RegExp(`${field} .* upper-case spelling; write it as ${signed[field]}`))]);
      expect(receiptProblems(signed, { operatorKey: rc.operatorKey.publicKey })).toEqual([]);
    }
  });
});

describe('an upper-case address cannot make an honest operator fail a capacity challenge', () => {
  const BOND = 5_000_000n;
  const PARAMS = { capacity_challenges_per_epoch: 0, capacity_window: '5', capacity_challenge_bond: BOND.toString() };
  const challenge = (rc: ReceiptsChain, operator: string): EncodeObject => ({
    typeUrl: EMISSION_TYPE_URLS.MsgChallengeCapacity,
    value: { challenger: rc.address('griefer'), operator, gpuId: GPU_ID },
  });

  it('a challenge naming the operator upper-cased is refused, so the operator is only ever challenged under the spelling its proof uses', async () => {
    const rc = await startEmissionChain({ emission: PARAMS });
    await rc.expectRefused('griefer', challenge(rc, upper(rc.address('operator'))), INVALID_ADDRESS, /upper-case/);
    const open: CapacityChallenge[] = [];
    for await (const [, c] of emissionKeys.challenges.entries(rc.chain.store.committed)) open.push(c);
    expect(open).toEqual([]);

    // The same challenge spelled canonically is answered by the operator's normal proof.
    await rc.ok('griefer', challenge(rc, rc.address('operator')));
    const [c] = await (async () => {
      const out: CapacityChallenge[] = [];
      for await (const [, x] of emissionKeys.challenges.entries(rc.chain.store.committed)) out.push(x);
      return out;
    })();
    const operatorBytes = rc.chain.app.addresses.decode(rc.address('operator'));
    const proof = (operator: string): EncodeObject => ({
      typeUrl: EMISSION_TYPE_URLS.MsgProveCapacity,
      value: { operator, challengeId: c!.id, measuredCount: c!.gpuCount, verifier: VERIFIER.publicKey, signature: VERIFIER.sign(capacitySignBytes(CHAIN_ID, operatorBytes, c!.id, c!.gpuId, c!.gpuCount)) },
    });
    // A proof may not use the other spelling either.
    await rc.expectRefused('operator', proof(upper(rc.address('operator'))), INVALID_ADDRESS, /upper-case/);
    await rc.ok('operator', proof(rc.address('operator')));
    const [after] = await (async () => {
      const out: CapacityChallenge[] = [];
      for await (const [, x] of emissionKeys.challenges.entries(rc.chain.store.committed)) out.push(x);
      return out;
    })();
    expect(after!.status).toBe(ChallengeStatus.CHALLENGE_STATUS_PASSED);
  });
});

describe('every module refuses an upper-case address in its messages and queries', () => {
  it('with ErrInvalidAddress, changing nothing, and no upper-case address is ever stored', async () => {
    const w = await roleWallets();
    // adapterAuthor is also a genesis validator, for the staking, distribution and slashing rows.
    const rc = await startEmissionChain({ validators: [{ address: w.adapterAuthor.address, selfBond: 10n ** 9n }] });
    const a = (role: Role): string => rc.address(role);
    const valoper = (role: Role): string => rc.chain.app.addresses.encode(rc.chain.app.addresses.decode(a(role)), 'cairnvaloper');
    const coin = { denom: 'ucairn', amount: '1000' };
    const submit = rc.submitMsg(buildBatch(rc.receipts(2)), 'escrow');
    const royaltyParams = (await rc.query('Params', royaltyQuery.QueryParamsRequest, royaltyQuery.QueryParamsResponse, {}, '/cairn.royalty.v1.Query/')).params;
    const rows: [module: string, signer: Role, message: EncodeObject][] = [
      ['auth (the signer)', 'payer', { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: upper(a('payer')), toAddress: a('author'), amount: [coin] } }],
      ['bank', 'payer', { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: a('payer'), toAddress: upper(a('author')), amount: [coin] } }],
      ['bank', 'payer', { typeUrl: '/cosmos.bank.v1beta1.MsgMultiSend', value: { inputs: [{ address: a('payer'), coins: [coin] }], outputs: [{ address: upper(a('author')), coins: [coin] }] } }],
      ['staking', 'payer', { typeUrl: '/cosmos.staking.v1beta1.MsgDelegate', value: { delegatorAddress: a('payer'), validatorAddress: upper(valoper('adapterAuthor')), amount: coin } }],
      ['staking', 'payer', { typeUrl: '/cosmos.staking.v1beta1.MsgDelegate', value: { delegatorAddress: upper(a('payer')), validatorAddress: valoper('adapterAuthor'), amount: coin } }],
      ['distribution', 'payer', { typeUrl: '/cosmos.distribution.v1beta1.MsgSetWithdrawAddress', value: { delegatorAddress: a('payer'), withdrawAddress: upper(a('author')) } }],
      ['distribution', 'adapterAuthor', { typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission', value: { validatorAddress: upper(valoper('adapterAuthor')) } }],
      ['slashing', 'adapterAuthor', { typeUrl: '/cosmos.slashing.v1beta1.MsgUnjail', value: { validatorAddr: upper(valoper('adapterAuthor')) } }],
      ['registry', 'operator', { typeUrl: REGISTRY_TYPE_URLS.MsgUpdateOperator, value: { operator: upper(a('operator')), endpoint: 'https://op.example' } }],
      ['registry', 'payer', { typeUrl: REGISTRY_TYPE_URLS.MsgAuthorizePayerKey, value: { payer: upper(a('payer')), key: new Uint8Array(32).fill(7), label: 'x' } }],
      ['receipts', 'operator', receiptMsgs.submit({ ...submit, payer: upper(a('payer')) })],
      ['receipts', 'payer', receiptMsgs.deposit(upper(a('payer')), 1000n)],
      ['receipts', 'payer', receiptMsgs.reserve(a('payer'), upper(a('operator')), GPU_ID, 1, 1n)],
      ['royalty', 'payer', { typeUrl: ROYALTY_TYPE_URLS.MsgUpdateParams, value: { authority: upper(rc.chain.app.addresses.encode(moduleAddress('gov'))), params: royaltyParams } }],
      ['emission', 'griefer', { typeUrl: EMISSION_TYPE_URLS.MsgChallengeCapacity, value: { challenger: a('griefer'), operator: upper(a('operator')), gpuId: GPU_ID } }],
      ['emission', 'adapterAuthor', { typeUrl: EMISSION_TYPE_URLS.MsgSetAvailabilityReporter, value: { validator: a('adapterAuthor'), reporter: upper(a('author')) } }],
    ];
    for (const [module, signer, message] of rows) {
      await expect(rc.expectRefused(signer, message, INVALID_ADDRESS, /upper-case/), `${module} ${message.typeUrl}`).resolves.toBeDefined();
    }

    const queries: [path: string, request: Uint8Array][] = [
      ['/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest.encode({ address: upper(a('payer')), denom: 'ucairn' }).finish()],
      ['/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address: upper(a('payer')) }).finish()],
      ['/cairn.registry.v1.Query/Operator', QueryOperatorRequest.encode({ address: upper(a('operator')) }).finish()],
      ['/cairn.receipts.v1.Query/Escrow', QueryEscrowRequest.encode({ payer: upper(a('payer')) }).finish()],
      ['/cairn.emission.v1.Query/OpenChallenges', QueryOpenChallengesRequest.encode({ operator: upper(a('operator')) }).finish()],
    ];
    for (const [path, request] of queries) {
      const r = await rc.chain.query(path, request);
      // Each query keeps its own code for a bad request (bank's is InvalidRequest, as in the SDK).
      expect({ path, refused: r.code !== 0, upperCase: /upper-case/.test(r.log) }).toEqual({ path, refused: true, upperCase: true });
    }

    // Whatever was accepted along the way, the store holds only lower-case addresses.
    // (The denom metadata's display name is "CAIRN": an address is the prefix, "1" and bech32 data.)
    const shouted = /CAIRN(VALOPER|VALCONS)?1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{38}/;
    for await (const [key, value] of rc.chain.store.committed.iterate({})) {
      expect(shouted.test(Buffer.from(value).toString('latin1')), `value at ${Buffer.from(key).toString('hex')}`).toBe(false);
    }
  });
});

describe('genesis', () => {
  it('cairn genesis validate refuses an upper-case address and names the spelling to use', async () => {
    const w = await roleWallets();
    const address = w.payer.address;
    await expect(checkAppState(addGenesisAccount(defaultAppState(), upper(address), [{ denom: 'ucairn', amount: 1n }]))).rejects.toThrow(`write it as ${address}`);
    await expect(checkAppState(addGenesisAccount(defaultAppState(), address, [{ denom: 'ucairn', amount: 1n }]))).resolves.toBeDefined();
  });
});
