// Test wallets and CosmJS-built txs, exactly as a wallet would build them (SIGN_MODE_DIRECT).
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { DirectSecp256k1HdWallet, encodePubkey, makeAuthInfoBytes, makeSignDoc } from '@cosmjs/proto-signing';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { MsgSend as NftMsgSend } from 'cosmjs-types/cosmos/nft/v1beta1/tx';
import { cairnRegistry } from '../../sdk/cosmjs-registry.ts';
import { bankMsgs } from '../../sdk/bank/messages.ts';

const registry = cairnRegistry();
// A message Cairn has no handler for, so tests can sign one and see it refused.
registry.register(NftMsgSend.typeUrl, NftMsgSend);

/** Distinct deterministic test mnemonics (BIP-39 test vectors style), never funded anywhere real. */
export const MNEMONICS = [
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  'legal winner thank year wave sausage worth useful legal winner thank yellow',
  'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
  'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
] as const;

export interface TestWallet {
  readonly wallet: DirectSecp256k1HdWallet;
  readonly address: string;
  readonly pubkey: Uint8Array;
}

export async function testWallet(index: number, prefix = 'cairn'): Promise<TestWallet> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONICS[index]!, { prefix });
  const [account] = await wallet.getAccounts();
  return { wallet, address: account!.address, pubkey: account!.pubkey };
}

export interface SignOptions {
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  readonly fee?: { denom: string; amount: string }[];
  readonly gas?: bigint;
  readonly memo?: string;
  readonly timeoutHeight?: bigint;
  /** fee.granter: the account whose fee allowance pays. */
  readonly granter?: string;
  /** Rewrites the body or auth info bytes before signing (hostile-input tests: the signature stays valid). */
  readonly tamper?: { readonly body?: (bytes: Uint8Array) => Uint8Array; readonly authInfo?: (bytes: Uint8Array) => Uint8Array };
}

export async function signTx(w: TestWallet, msgs: EncodeObject[], o: SignOptions): Promise<Uint8Array> {
  const bodyBytes = registry.encodeTxBody({ messages: msgs, memo: o.memo ?? '', timeoutHeight: o.timeoutHeight ?? 0n });
  const authInfoBytes = makeAuthInfoBytes(
    [{ pubkey: encodePubkey(encodeSecp256k1Pubkey(w.pubkey)), sequence: Number(o.sequence) }],
    o.fee ?? [{ denom: 'ucairn', amount: '5000' }],
    Number(o.gas ?? 200_000n),
    o.granter,
    undefined,
  );
  const signDoc = makeSignDoc(o.tamper?.body?.(bodyBytes) ?? bodyBytes, o.tamper?.authInfo?.(authInfoBytes) ?? authInfoBytes, o.chainId, o.accountNumber);
  const { signature, signed } = await w.wallet.signDirect(w.address, signDoc);
  return TxRaw.encode({
    bodyBytes: signed.bodyBytes,
    authInfoBytes: signed.authInfoBytes,
    signatures: [Buffer.from(signature.signature, 'base64')],
  }).finish();
}

export function sendMsg(from: string, to: string, amount: string, denom = 'ucairn'): EncodeObject {
  return bankMsgs.MsgSend({ fromAddress: from, toAddress: to, amount: [{ denom, amount }] });
}

