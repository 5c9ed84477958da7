// The ante checks, in the Cosmos SDK's order, so each failure gets the code and log a wallet
// expects: block gas limit (11), timeout height (30), memo (12), tx size gas, fee (13, 5), pubkey (8), signature count,
// sequence (32), signature (4: either sign mode, single or multisig keys, signatures.ts), then sequence increment. They run before any message executes and
// their writes (fee, sequence, pubkey) stand even when a message later fails.
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { AccountKeeper } from './keeper.ts';
import { FEE_COLLECTOR } from './keys.ts';

export { FEE_COLLECTOR };
import { type AccountPubKey, accountPubKeyAddress, countSubKeys, decodeAccountPubKey, signatureCount, verifyAccountSignature } from './signatures.ts';
import { signBytes } from './sign-bytes.ts';
import { type Amount, formatCoins, parseCoins } from '../../core/framework/coins.ts';
import { AppError, rewrap } from '../../core/framework/errors.ts';
import type { Context } from '../../core/framework/context.ts';
import {
  ErrInsufficientFee,
  ErrInvalidAddress,
  ErrInvalidPubKey,
  ErrMemoTooLarge,
  ErrOutOfGas,
  ErrTooManySignatures,
  ErrTxTimeoutHeight,
  ErrUnauthorized,
  ErrUnknownAddress,
  ErrWrongSequence,
} from '../../core/framework/sdk-errors.ts';
import type { DecodedTx } from '../../core/tx/decode.ts';
import { type GasPrice, feeCovers, requiredFees } from '../../core/tx/gas-price.ts';

export interface AnteDeps {
  readonly accounts: AccountKeeper;
  /** Fees go to the fee collector. Declared here, as the SDK's expected keepers are, so auth stays below the bank. */
  readonly bank: {
    sendToModule(ctx: Context, from: Uint8Array, module: string, amounts: readonly Amount[]): Promise<void>;
  };
  /** Spends a fee granter's allowance (modules/feegrant), refusing with its error. */
  readonly feegrant: {
    useGrantedFees(ctx: Context, granter: Uint8Array, grantee: Uint8Array, fee: readonly Amount[], msgTypeUrls: readonly string[]): Promise<void>;
  };
}

export interface AnteOptions {
  /** Node setting, enforced only when admitting txs to the mempool (CheckTx of new txs). */
  readonly minGasPrices: readonly GasPrice[];
}

export async function runAnte(tx: DecodedTx, ctx: Context, deps: AnteDeps, opts: AnteOptions): Promise<void> {
  // The SDK's SetUpContextDecorator, first of all: a tx that could never fit in a block is refused.
  const gasWanted = tx.authInfo.fee!.gasLimit;
  if (ctx.block.maxGas !== undefined && gasWanted > ctx.block.maxGas) {
    throw ErrOutOfGas.wrap(`tx gas wanted ${gasWanted} exceeds block max gas limit ${ctx.block.maxGas}`);
  }
  const params = await deps.accounts.params(ctx.store);
  const simulate = ctx.mode === 'simulate';

  const timeout = tx.body.timeoutHeight;
  if (timeout > 0n && ctx.block.height > timeout) {
    throw ErrTxTimeoutHeight.wrap(`block height: ${ctx.block.height}, timeout height: ${timeout}`);
  }
  const memoLength = [...tx.body.memo].length;
  if (BigInt(memoLength) > params.maxMemoCharacters) {
    throw ErrMemoTooLarge.wrap(`maximum number of characters is ${params.maxMemoCharacters} but received ${memoLength} characters`);
  }
  ctx.gas.consume(params.txSizeCostPerByte * BigInt(tx.bytes.length), 'txSize');

  // Fee: checked against the node's minimum gas prices, then moved to the fee collector.
  const fee = tx.authInfo.fee!;
  const feeCoins = parseCoins(fee.amount, true);
  if (ctx.mode === 'check' && opts.minGasPrices.length > 0) {
    const required = requiredFees(opts.minGasPrices, fee.gasLimit);
    if (!feeCovers(feeCoins, required)) {
      throw ErrInsufficientFee.wrap(`insufficient fees; got: ${formatCoins(feeCoins) || '0'} required: ${formatCoins(required)}`);
    }
  }
  const payer = fee.payer !== '' ? fee.payer : tx.signers[0]!;
  if (fee.payer !== '' && !tx.signers.includes(fee.payer)) throw ErrUnauthorized.wrap(`fee payer ${fee.payer} is not a signer`);
  const payerAddress = ctx.addresses.decode(payer);
  // A fee granter pays instead of the payer, out of the allowance it gave the payer (the SDK's
  // DeductFeeDecorator): the allowance is spent first, and its refusal keeps its own code.
  let deductFrom = payerAddress;
  let deductFromText = payer;
  if (fee.granter !== '') {
    let granter: Uint8Array;
    try {
      granter = ctx.addresses.decode(fee.granter);
    } catch (err) {
      throw ErrInvalidAddress.wrap(`invalid fee granter address: ${(err as Error).message}`);
    }
    if (!equal(granter, payerAddress)) {
      try {
        await deps.feegrant.useGrantedFees(ctx, granter, payerAddress, feeCoins, tx.msgs.map((m) => m.typeUrl));
      } catch (err) {
        throw err instanceof AppError ? rewrap(err, `${fee.granter} does not allow to pay fees for ${payer}`) : err;
      }
    }
    deductFrom = granter;
    deductFromText = fee.granter;
  }
  if ((await deps.accounts.get(ctx.store, deductFrom)) === undefined) {
    throw ErrUnknownAddress.wrap(`fee payer address: ${deductFromText} does not exist`);
  }
  if (feeCoins.length > 0) await deps.bank.sendToModule(ctx, deductFrom, FEE_COLLECTOR, feeCoins);
  else if (simulate) await chargeFeeTransferGas(ctx, deps, deductFrom, opts);
  if (ctx.events.kept) ctx.events.emit('tx', { fee: formatCoins(feeCoins), fee_payer: deductFromText });

  // The SDK's ValidateSigCountDecorator: a multisig key counts each of its members.
  const offeredKeys = offeredKeysOf(tx);
  const sigCount = offeredKeys.reduce((n, pk) => n + (pk === undefined ? 1 : countSubKeys(pk)), 0);
  if (BigInt(sigCount) > params.txSigLimit) {
    throw ErrTooManySignatures.wrap(`signatures: ${sigCount}, limit: ${params.txSigLimit}`);
  }

  for (const [i, signer] of tx.signers.entries()) {
    const info = tx.authInfo.signerInfos[i]!;
    const address = ctx.addresses.decode(signer);
    const account = await deps.accounts.get(ctx.store, address);
    if (account === undefined) throw ErrUnknownAddress.wrap(`account ${signer} does not exist`);
    const base: BaseAccount = { ...account.base };

    // The first tx of an account carries its pubkey; it must hash to the signer's address.
    let pubkey = base.pubKey === undefined ? undefined : storedKeyOf(base.pubKey, signer, i);
    const offered = offeredKeys[i];
    if (offered !== undefined) {
      if (!equal(addressOf(offered), address)) {
        throw ErrInvalidPubKey.wrap(`pubKey does not match signer address ${signer} with signer index: ${i}`);
      }
      if (pubkey === undefined) {
        pubkey = offered;
        base.pubKey = offered.any;
      }
    }
    if (pubkey === undefined) throw ErrInvalidPubKey.wrap(`pubkey on account is not set for signer ${signer}`);

    ctx.gas.consume(params.sigVerifyCostSecp256k1 * BigInt(signatureCount(pubkey, info.modeInfo)), 'ante verify: secp256k1');
    if (info.sequence !== base.sequence) {
      throw ErrWrongSequence.wrap(`account sequence mismatch, expected ${base.sequence}, got ${info.sequence}`);
    }
    // Simulation carries no real signature (CosmJS sends SIGN_MODE_UNSPECIFIED and empty bytes);
    // a recheck already verified this exact tx against the same account number and chain id.
    if (!simulate && ctx.mode !== 'recheck') {
      const signer_ = { chainId: ctx.block.chainId, accountNumber: base.accountNumber, sequence: base.sequence };
      try {
        verifyAccountSignature(pubkey, info.modeInfo, tx.raw.signatures[i]!, (mode) => signBytes(mode, tx, signer_));
      } catch (err) {
        if (!ErrUnauthorized.is(err)) throw err;
        // The SDK's SigVerificationDecorator message, which wallets show as is; a multisig's says which part failed.
        const why = pubkey.kind === 'multisig' ? `: (${(err as Error).message.replace(/: unauthorized$/, '')})` : '';
        throw ErrUnauthorized.wrap(
          `signature verification failed; please verify account number (${base.accountNumber}), sequence (${base.sequence}) and chain-id (${ctx.block.chainId})${why}`,
        );
      }
    }
    if (ctx.events.kept) {
      ctx.events.emit('tx', { acc_seq: `${signer}/${base.sequence}` });
      const signature = tx.raw.signatures[i]!;
      ctx.events.emit('tx', { signature: Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('base64') });
    }
    base.sequence += 1n;
    deps.accounts.set(ctx.store, account.kind === 'base' ? { kind: 'base', base } : { ...account, base });
  }
}

// The keys a tx offers, and their addresses, depend on its bytes alone: they are kept with its decode
// (which the app reuses from CheckTx through ReCheckTx and FinalizeBlock) instead of decoding and
// hashing them at every pass. Failures are not kept: they throw again, with the same error.
const keptOfferedKeys = new WeakMap<DecodedTx, readonly (AccountPubKey | undefined)[]>();
const keptAddresses = new WeakMap<AccountPubKey, Uint8Array>();

function offeredKeysOf(tx: DecodedTx): readonly (AccountPubKey | undefined)[] {
  let keys = keptOfferedKeys.get(tx);
  if (keys === undefined) {
    keys = tx.authInfo.signerInfos.map((info, i) => (info.publicKey === undefined ? undefined : decodeAccountPubKey(info.publicKey, signerName(tx.signers[i]!, i))));
    keptOfferedKeys.set(tx, keys);
  }
  return keys;
}

// An account's stored key, decoded once per decoded account (AccountKeeper shares one frozen
// Account, and so one key Any, per stored value).
const keptStoredKeys = new WeakMap<Any, AccountPubKey>();

function storedKeyOf(any: Any, signer: string, index: number): AccountPubKey {
  let pk = keptStoredKeys.get(any);
  if (pk === undefined) {
    pk = decodeAccountPubKey(any, signerName(signer, index));
    keptStoredKeys.set(any, pk);
  }
  return pk;
}

function addressOf(pk: AccountPubKey): Uint8Array {
  let address = keptAddresses.get(pk);
  if (address === undefined) {
    address = accountPubKeyAddress(pk);
    keptAddresses.set(pk, address);
  }
  return address;
}

function signerName(signer: string, index: number): string {
  return `signer ${signer} (index ${index})`;
}

/**
 * A simulated tx carries no fee (CosmJS sends an empty one), but the real tx will pay one, and moving
 * it costs store gas. Simulation runs on a throwaway branch, so move one unit of the fee denom for
 * real: the estimate then includes that gas, and nothing outlives the simulation. Without it "auto"
 * gas with CosmJS's 1.4 multiplier runs out.
 */
async function chargeFeeTransferGas(ctx: Context, deps: AnteDeps, payer: Uint8Array, opts: AnteOptions): Promise<void> {
  const denom = opts.minGasPrices[0]?.denom;
  if (denom !== undefined) await deps.bank.sendToModule(ctx, payer, FEE_COLLECTOR, [{ denom, amount: 1n }]);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
