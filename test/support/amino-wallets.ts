// Amino-only CosmJS wallets (Secp256k1HdWallet: what a Ledger or Keplr's amino path is to the
// chain) and 2-of-3 style multisig txs built the way CosmJS's makeMultisignedTx documents.
import { Secp256k1HdWallet, createMultisigThresholdPubkey, pubkeyToAddress, type MultisigThresholdPubkey, type Pubkey } from '@cosmjs/amino';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { SigningStargateClient, makeMultisignedTx, type SignerData, type StdFee } from '@cosmjs/stargate';
import type { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cairnRegistry } from '../../sdk/cosmjs-registry.ts';
import { cairnAminoTypes } from '../../sdk/cosmjs-amino-types.ts';
import { MNEMONICS } from './wallets.ts';

// CosmJS 0.39's fromBech32 defaults its length limit to Infinity, which @scure/base 2.4 (the
// version npm installs for it) refuses; makeMultisignedTx calls it without a limit only to read the
// prefix, so it throws for every input. Until CosmJS passes a number, give the default a finite
// bound (90, bech32's own) in the one module both share; makeMultisignedTx itself runs unchanged.
const require = createRequire(import.meta.url);
const bech32 = require(join(dirname(require.resolve('@cosmjs/encoding')), 'bech32.js')) as { fromBech32: (a: string, limit?: number) => unknown };
const fromBech32 = bech32.fromBech32;
bech32.fromBech32 = (address, limit = 90) => fromBech32(address, limit);

export interface AminoWallet {
  readonly address: string;
  readonly pubkey: Pubkey;
  readonly wallet: Secp256k1HdWallet;
  /** An offline client with the chain's Registry and AminoTypes, as a CosmJS user sets one up. */
  readonly client: SigningStargateClient;
}

export async function aminoWallet(index: number, prefix = 'cairn'): Promise<AminoWallet> {
  const wallet = await Secp256k1HdWallet.fromMnemonic(MNEMONICS[index]!, { prefix });
  const [account] = await wallet.getAccounts();
  const client = await SigningStargateClient.offline(wallet, { registry: cairnRegistry(), aminoTypes: cairnAminoTypes() });
  return { address: account!.address, pubkey: { type: 'tendermint/PubKeySecp256k1', value: Buffer.from(account!.pubkey).toString('base64') }, wallet, client };
}

export interface Multisig {
  readonly pubkey: MultisigThresholdPubkey;
  readonly address: string;
  readonly members: readonly AminoWallet[];
}

export function multisigOf(members: readonly AminoWallet[], threshold: number, prefix = 'cairn'): Multisig {
  const pubkey = createMultisigThresholdPubkey(members.map((m) => m.pubkey), threshold);
  return { pubkey, address: pubkeyToAddress(pubkey, prefix), members };
}

/** The multisig tx signed (amino JSON) by `signers`, each signing the multisig account's sign doc. */
export async function multisignedTx(ms: Multisig, signers: readonly AminoWallet[], msgs: EncodeObject[], fee: StdFee, memo: string, data: SignerData): Promise<TxRaw> {
  const signatures = new Map<string, Uint8Array>();
  let bodyBytes: Uint8Array | undefined;
  for (const s of signers) {
    const signed = await s.client.sign(s.address, msgs, fee, memo, data);
    signatures.set(s.address, signed.signatures[0]!);
    bodyBytes = signed.bodyBytes;
  }
  return makeMultisignedTx(ms.pubkey, data.sequence, fee, bodyBytes!, signatures);
}
