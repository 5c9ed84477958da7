// Threshold multisig accounts (LegacyAminoPubKey) in-process: a 2-of-3 account whose members sign
// with amino JSON (CosmJS makeMultisignedTx) spends; too few signatures, a wrong bit array, a
// signature under the wrong member and a key that is not the account's are refused with the SDK's
// codes, and change nothing.
import { createMultisigThresholdPubkey, pubkeyToAddress } from '@cosmjs/amino';
import { DirectSecp256k1HdWallet, encodePubkey, makeSignDoc } from '@cosmjs/proto-signing';
import { makeMultisignedTx } from '@cosmjs/stargate';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { StdFee } from '@cosmjs/stargate';
import { CompactBitArray, MultiSignature } from 'cosmjs-types/cosmos/crypto/multisig/v1beta1/multisig';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { beforeAll, describe, expect, it } from 'vitest';
import { bankMsgs } from '../sdk/bank/messages.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';
import { AppChain, CHAIN_ID } from './support/app-chain.ts';
import { type AminoWallet, type Multisig, aminoWallet, multisigOf, multisignedTx } from './support/amino-wallets.ts';
import { MNEMONICS } from './support/wallets.ts';

const FUNDS = 10_000_000_000n;
const FEE: StdFee = { amount: [{ denom: 'ucairn', amount: '5000' }], gas: '300000' };

let a: AminoWallet;
let b: AminoWallet;
let c: AminoWallet;
let ms: Multisig;

beforeAll(async () => {
  [a, b, c] = await Promise.all([aminoWallet(1), aminoWallet(2), aminoWallet(3)]);
  ms = multisigOf([a, b, c], 2);
});

async function start(): Promise<AppChain> {
  const chain = await AppChain.start({ funded: [{ address: ms.address, amount: FUNDS }] });
  await chain.block();
  return chain;
}

async function tx(chain: AppChain, signers: readonly AminoWallet[], amount = '700'): Promise<TxRaw> {
  const account = await chain.account(ms.address);
  const send = bankMsgs.MsgSend({ fromAddress: ms.address, toAddress: a.address, amount: [{ denom: 'ucairn', amount }] });
  return multisignedTx(ms, signers, [send], FEE, 'from the treasury', { accountNumber: account.accountNumber, sequence: Number(account.sequence), chainId: CHAIN_ID });
}

function withAuthInfo(raw: TxRaw, edit: (info: AuthInfo) => void): TxRaw {
  const info = AuthInfo.decode(raw.authInfoBytes);
  edit(info);
  return { ...raw, authInfoBytes: AuthInfo.encode(info).finish() };
}

async function state(chain: AppChain): Promise<string> {
  const account = await chain.account(ms.address);
  return `${await chain.balance(ms.address)} ${await chain.balance(a.address)} ${account.sequence}`;
}

async function expectRefused(chain: AppChain, raw: TxRaw, code: number, log: RegExp): Promise<void> {
  const before = await state(chain);
  const bytes = TxRaw.encode(raw).finish();
  const check = await chain.checkTx(bytes);
  expect([check.codespace, check.code]).toEqual(['sdk', code]);
  expect(check.log).toMatch(log);
  const [result] = await chain.block([bytes]);
  expect([result!.codespace, result!.code]).toEqual(['sdk', code]);
  expect(await state(chain)).toBe(before);
}

describe('a 2-of-3 multisig account (LegacyAminoPubKey)', () => {
  it('has the address the SDK and CosmJS derive, and spends with any two members’ amino signatures', async () => {
    const chain = await start();
    for (const signers of [[a, b], [b, c], [a, b, c]]) {
      const bytes = TxRaw.encode(await tx(chain, signers)).finish();
      expect((await chain.checkTx(bytes)).code).toBe(0);
      const [result] = await chain.block([bytes]);
      expect(result!.code).toBe(0);
    }
    expect(await chain.balance(a.address)).toBe(3n * 700n);
    const account = await chain.account(ms.address);
    expect(account.sequence).toBe(3n);
    expect(account.pubKey?.typeUrl).toBe('/cosmos.crypto.multisig.LegacyAminoPubKey');
  });

  it('refuses one signature of a 2-of-3 with sdk/4', async () => {
    const chain = await start();
    await expectRefused(chain, await tx(chain, [a]), 4, /signature verification failed.*signature size is incorrect 1/);
  });

  it('refuses a bit array of the wrong size with sdk/4', async () => {
    const chain = await start();
    const raw = withAuthInfo(await tx(chain, [a, b]), (info) => {
      info.signerInfos[0]!.modeInfo!.multi!.bitarray = CompactBitArray.fromPartial({ elems: new Uint8Array([0b11000000]), extraBitsStored: 4 });
    });
    await expectRefused(chain, raw, 4, /bit array size is incorrect, expecting: 3/);
  });

  it('refuses a bit array that points a signature at the wrong member with sdk/4', async () => {
    const chain = await start();
    const raw = withAuthInfo(await tx(chain, [a, b]), (info) => {
      info.signerInfos[0]!.modeInfo!.multi!.bitarray = CompactBitArray.fromPartial({ elems: new Uint8Array([0b10100000]), extraBitsStored: 3 });
    });
    await expectRefused(chain, raw, 4, /unable to verify signature at index 2/);
  });

  it('refuses a bit array marking fewer members than the threshold with sdk/4', async () => {
    const chain = await start();
    const raw = withAuthInfo(await tx(chain, [a, b]), (info) => {
      info.signerInfos[0]!.modeInfo!.multi!.bitarray = CompactBitArray.fromPartial({ elems: new Uint8Array([0b10000000]), extraBitsStored: 3 });
    });
    await expectRefused(chain, raw, 4, /not enough signatures set, have 1, expected 2/);
  });

  it('refuses a multisig key that is not the account’s (other threshold) with sdk/8', async () => {
    const chain = await start();
    const other = multisigOf([a, b, c], 1);
    const raw = withAuthInfo(await tx(chain, [a, b]), (info) => {
      info.signerInfos[0]!.publicKey = encodePubkey(other.pubkey);
    });
    await expectRefused(chain, raw, 8, /pubKey does not match signer address/);
  });

  it('refuses a single-signature mode info for a multisig key with sdk/4', async () => {
    const chain = await start();
    const raw = withAuthInfo(await tx(chain, [a, b]), (info) => {
      info.signerInfos[0]!.modeInfo = { single: { mode: 127 } };
    });
    await expectRefused(chain, raw, 4, /a multisig key needs a multisig signature/);
  });

  it('counts each member of a multisig key against tx_sig_limit (7): an 8-key multisig is refused with sdk/14', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => ({ type: 'tendermint/PubKeySecp256k1', value: Buffer.from(secp256k1.getPublicKey(new Uint8Array(32).fill(i + 1), true)).toString('base64') }));
    const big = createMultisigThresholdPubkey(keys, 2);
    const address = pubkeyToAddress(big, 'cairn');
    const chain = await AppChain.start({ funded: [{ address, amount: FUNDS }] });
    await chain.block();
    const account = await chain.account(address);
    const send = bankMsgs.MsgSend({ fromAddress: address, toAddress: a.address, amount: [{ denom: 'ucairn', amount: '1' }] });
    const body = cairnRegistry().encodeTxBody({ messages: [send], memo: '' });
    const raw = makeMultisignedTx(big, Number(account.sequence), FEE, body, new Map([[a.address, new Uint8Array(64)]]));
    const check = await chain.checkTx(TxRaw.encode(raw).finish());
    expect([check.codespace, check.code]).toEqual(['sdk', 14]);
    expect(check.log).toMatch(/signatures: 8, limit: 7/);
  });

  it('accepts members signing in different modes: one SIGN_MODE_DIRECT, one amino JSON', async () => {
    const chain = await start();
    const account = await chain.account(ms.address);
    const amino = await tx(chain, [b]);
    // Member a signs the direct SignDoc of the final auth info (bits for a and b, a direct, b amino).
    const info = AuthInfo.decode(amino.authInfoBytes);
    const multi = info.signerInfos[0]!.modeInfo!.multi!;
    // Positions in the key, whose members CosmJS sorted by address.
    const ai = ms.pubkey.value.pubkeys.findIndex((k) => k.value === a.pubkey.value);
    const bi = ms.pubkey.value.pubkeys.findIndex((k) => k.value === b.pubkey.value);
    multi.bitarray = CompactBitArray.fromPartial({ elems: new Uint8Array([(0x80 >> ai) | (0x80 >> bi)]), extraBitsStored: 3 });
    multi.modeInfos = [ai, bi].sort().map((i) => ({ single: { mode: i === ai ? SignMode.SIGN_MODE_DIRECT : SignMode.SIGN_MODE_LEGACY_AMINO_JSON } }));
    const authInfoBytes = AuthInfo.encode(info).finish();
    const direct = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONICS[1]!, { prefix: 'cairn' });
    const { signature } = await direct.signDirect(a.address, makeSignDoc(amino.bodyBytes, authInfoBytes, CHAIN_ID, account.accountNumber));
    const aminoSig = MultiSignature.decode(amino.signatures[0]!).signatures[0]!;
    const sigs = [ai, bi].sort().map((i) => (i === ai ? Buffer.from(signature.signature, 'base64') : aminoSig));
    const raw = { bodyBytes: amino.bodyBytes, authInfoBytes, signatures: [MultiSignature.encode({ signatures: sigs }).finish()] };
    const [result] = await chain.block([TxRaw.encode(raw).finish()]);
    expect(result!.code, result!.log).toBe(0);
    expect(await chain.balance(a.address)).toBe(700n);
  });
});
