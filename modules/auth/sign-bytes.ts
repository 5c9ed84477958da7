// What a signer signs, per sign mode, for one account (its number and sequence) on this chain.
// - SIGN_MODE_DIRECT: the protobuf SignDoc of the tx's body and auth-info bytes.
// - SIGN_MODE_LEGACY_AMINO_JSON: the SDK's StdSignDoc — account_number, chain_id, fee {amount, gas,
//   granter and payer when set}, memo, msgs [{type, value}], sequence, timeout_height when set —
//   as sorted JSON with &, <, > escaped. The messages are rebuilt from the decoded body through the
//   same amino table a CosmJS client signs with (sdk/cosmjs-registry.ts), and the document is
//   serialised by CosmJS's own serializeSignDoc, so the bytes are the ones CosmJS's AminoTypes and
//   Secp256k1HdWallet (or a Ledger) signed.
import { type StdFee, makeSignDoc, serializeSignDoc } from '@cosmjs/amino';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { SignDoc } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { encodeMessage } from '../../sdk/amino.ts';
import { cairnAminoResolver } from '../../sdk/cosmjs-registry.ts';
import { ErrUnauthorized } from '../../core/framework/sdk-errors.ts';
import type { DecodedTx } from '../../core/tx/decode.ts';

export interface SignerData {
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
}

export function signBytes(mode: SignMode, tx: DecodedTx, signer: SignerData): Uint8Array {
  if (mode === SignMode.SIGN_MODE_DIRECT) {
    return SignDoc.encode({ bodyBytes: tx.raw.bodyBytes, authInfoBytes: tx.raw.authInfoBytes, chainId: signer.chainId, accountNumber: signer.accountNumber }).finish();
  }
  return aminoSignBytes(tx, signer);
}

/** @throws ErrUnauthorized (sdk/4) for a tx that amino JSON cannot express, as the SDK's handler refuses it. */
export function aminoSignBytes(tx: DecodedTx, signer: SignerData): Uint8Array {
  if (tx.body.nonCriticalExtensionOptions.length > 0) throw ErrUnauthorized.wrap('SIGN_MODE_LEGACY_AMINO_JSON does not support protobuf extension options');
  const msgs = tx.body.messages.map((any) => {
    const amino = cairnAminoResolver.byTypeUrl(any.typeUrl);
    if (amino === undefined) throw ErrUnauthorized.wrap(`${any.typeUrl} has no amino JSON encoding; sign with SIGN_MODE_DIRECT`);
    try {
      return { type: amino.aminoType, value: encodeMessage(amino.schema, amino.type.decode(any.value), cairnAminoResolver) };
    } catch (err) {
      // Whatever the message holds that amino JSON cannot carry (an Any of an unknown type or of
      // bytes that do not decode, a time out of range) fails the signature, as in the SDK.
      throw ErrUnauthorized.wrap(`${any.typeUrl} cannot be written as amino JSON: ${(err as Error).message}`);
    }
  });
  const f = tx.authInfo.fee!;
  const fee: StdFee = {
    amount: f.amount.map((c) => ({ denom: c.denom, amount: c.amount })),
    gas: f.gasLimit.toString(),
    ...(f.granter !== '' && { granter: f.granter }),
    ...(f.payer !== '' && { payer: f.payer }),
  };
  const doc = makeSignDoc(msgs, fee, signer.chainId, tx.body.memo, signer.accountNumber.toString(), signer.sequence.toString(), tx.body.timeoutHeight);
  return serializeSignDoc(doc);
}
