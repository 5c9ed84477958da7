// Bench accounts and pre-signed bank sends, built the way a wallet builds them (SIGN_MODE_DIRECT,
// cosmjs-types encodings) but signed with libsecp256k1 directly: ~20x faster than CosmJS's pure-JS
// signer, so tens of thousands of txs are ready in a few seconds. libsecp256k1 always returns the
// low-S 64-byte r||s form the chain requires.
import { randomBytes } from 'node:crypto';
import { BANK_TYPE_URLS } from '../sdk/bank/messages.ts';
import { AUTH_TYPE_URLS } from '../sdk/auth/messages.ts';
import { createRequire } from 'node:module';
import { toBech32 } from '@cosmjs/encoding';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { pubkeyToAddress } from '../core/crypto/address.ts';
import { sha256 } from '../core/crypto/hash.ts';

interface NativeSecp256k1 {
  privateKeyVerify(privkey: Uint8Array): boolean;
  publicKeyCreate(privkey: Uint8Array, compressed?: boolean): Uint8Array;
  ecdsaSign(msg32: Uint8Array, privkey: Uint8Array): { signature: Uint8Array };
}
const native = createRequire(import.meta.url)('secp256k1/bindings.js') as NativeSecp256k1;

export interface BenchAccount {
  readonly privkey: Uint8Array;
  readonly pubkey: Uint8Array;
  readonly address: string;
  /** From the chain (auth Account query), not assumed from the genesis order. */
  accountNumber: bigint;
  /** The next sequence to sign with. */
  sequence: bigint;
}

export function makeAccounts(n: number, prefix = 'cairn'): BenchAccount[] {
  const accounts: BenchAccount[] = [];
  while (accounts.length < n) {
    const privkey = new Uint8Array(randomBytes(32));
    if (!native.privateKeyVerify(privkey)) continue;
    const pubkey = native.publicKeyCreate(privkey, true);
    accounts.push({ privkey, pubkey, address: toBech32(prefix, pubkeyToAddress(pubkey)), accountNumber: -1n, sequence: 0n });
  }
  return accounts;
}

export interface SendSpec {
  readonly from: BenchAccount;
  readonly to: string;
  readonly amount: bigint;
  readonly memo: string;
  readonly sequence: bigint;
  readonly chainId: string;
  /** The gas the tx declares (default BENCH_GAS): blocks are packed by it. */
  readonly gas?: bigint;
}

export const BENCH_FEE = { denom: 'ucairn', amount: '5000' } as const;
// What `--gas auto` asks for a send (≈1.4 × the ~45,000 a send to a new account uses): blocks are
// packed by declared gas, so under the default block gas limit (100 M) a block holds 1,250 of them.
export const BENCH_GAS = 80_000n;

/** One signed MsgSend as TxRaw bytes, ready for broadcast_tx_sync. */
export function signSend(s: SendSpec): Uint8Array {
  const msg = MsgSend.encode({ fromAddress: s.from.address, toAddress: s.to, amount: [{ denom: 'ucairn', amount: s.amount.toString() }] }).finish();
  const bodyBytes = TxBody.encode(
    TxBody.fromPartial({ messages: [{ typeUrl: BANK_TYPE_URLS.MsgSend, value: msg }], memo: s.memo }),
  ).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: { typeUrl: AUTH_TYPE_URLS.Secp256k1PubKey, value: PubKey.encode({ key: s.from.pubkey }).finish() },
          modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
          sequence: s.sequence,
        },
      ],
      fee: { amount: [BENCH_FEE], gasLimit: s.gas ?? BENCH_GAS },
    }),
  ).finish();
  const signBytes = SignDoc.encode({ bodyBytes, authInfoBytes, chainId: s.chainId, accountNumber: s.from.accountNumber }).finish();
  const { signature } = native.ecdsaSign(sha256(signBytes), s.from.privkey);
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }).finish();
}
