// MsgSubmitBatch: an operator commits a batch of receipts of one (payer, model, adapter, epoch) by
// its Merkle-sum root and totals. ESCROW batches lock their amount from the payer's escrow now;
// OFFCHAIN batches carry the root of their payment references. Every batch carries the payer's
// consent, a signature over its sign-bytes by a payer key authorised and not revoked at this block
// (sdk/receipts/batch-signature.ts); without it nothing is locked. The number of leaves the chain
// audits is fixed now (more for a larger amount); which ones is drawn from the hash of block
// height + sample_delay_blocks (block.ts), which nobody knows yet; the operator must reveal them by
// reveal_deadline, reveal_window blocks after that draw.
// Receipt times must fall in [start of the epoch, end of the epoch or this block's time].
import { formatCoins } from '../../../core/framework/coins.ts';
import type { Context } from '../../../core/framework/context.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgSubmitBatch, MsgSubmitBatchResponse } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { type Batch, BatchStatus, SettlementMode } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { MAX_ID_TEXT_LENGTH } from '../../../sdk/receipts/receipt.ts';
import { sampleSize } from '../../../sdk/receipts/sample.ts';
import { ED25519_KEY_LENGTH, ED25519_SIGNATURE_LENGTH } from '../../../sdk/ed25519.ts';
import { verifyBatchSignature } from '../../../sdk/receipts/batch-signature.ts';
import { VERIFY_GAS } from '../checks.ts';
import {
  ErrBatchSignatureChain,
  ErrBatchSignatureMismatch,
  ErrBatchSignatureReplayed,
  ErrDuplicateRoot,
  ErrInvalidBatch,
  ErrInvalidEpoch,
  ErrNoBatchSignature,
  ErrOperatorNotActive,
  ErrPayerKeyNotAuthorized,
  ErrPayerKeyRevoked,
} from '../errors.ts';
import { EVENTS, hex } from '../events.ts';
import type { ReceiptsKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { decodeAddress, parseAmountText } from './common.ts';
import { RECEIPTS_TYPE_URLS } from '../../../sdk/receipts/messages.ts';

/** Gas per sampled leaf (one sha256 each at the draw, plus its share of the batch record). */
const SAMPLE_GAS = 200n;

export function msgSubmitBatch(k: ReceiptsKeeper): MsgHandler<MsgSubmitBatch> {
  return {
    typeUrl: RECEIPTS_TYPE_URLS.MsgSubmitBatch,
    decode: (bytes) => MsgSubmitBatch.decode(bytes),
    signers: (msg) => [msg.operator],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.operator, 'operator');
      decodeAddress(ctx.addresses, msg.payer, 'payer');
      if (msg.modelId === '' || msg.modelId.length > MAX_ID_TEXT_LENGTH) throw ErrInvalidBatch.wrap('model_id is empty or too long');
      if (msg.adapterId.length > MAX_ID_TEXT_LENGTH) throw ErrInvalidBatch.wrap('adapter_id is too long');
      if (msg.root.length !== 32) throw ErrInvalidBatch.wrap(`root has ${msg.root.length} bytes, not 32`);
      if (msg.count === 0n) throw ErrInvalidBatch.wrap('count is 0: a batch has at least one receipt');
      parseAmountText(msg.amount, 'amount', ErrInvalidBatch);
      if (msg.mode === SettlementMode.SETTLEMENT_MODE_ESCROW) {
        if (msg.paymentRefsRoot.length !== 0) throw ErrInvalidBatch.wrap('an ESCROW batch carries no payment_refs_root');
      } else if (msg.mode === SettlementMode.SETTLEMENT_MODE_OFFCHAIN) {
        if (msg.paymentRefsRoot.length !== 32) throw ErrInvalidBatch.wrap('an OFFCHAIN batch carries a 32-byte payment_refs_root');
      } else throw ErrInvalidBatch.wrap(`mode ${msg.mode} is neither ESCROW nor OFFCHAIN`);
      if (msg.payerKey.length !== ED25519_KEY_LENGTH || msg.payerSignature.length !== ED25519_SIGNATURE_LENGTH) {
        throw ErrNoBatchSignature.wrap(`payer_key (${msg.payerKey.length} bytes) and payer_signature (${msg.payerSignature.length} bytes) must be a 32-byte ed25519 key and its 64-byte signature`);
      }
    },

    async execute(msg, ctx) {
      const p = await k.params(ctx.store);
      const operator = ctx.addresses.decode(msg.operator);
      const payer = ctx.addresses.decode(msg.payer);
      const amount = parseAmountText(msg.amount, 'amount', ErrInvalidBatch);
      if (msg.count > p.maxBatchCount) throw ErrInvalidBatch.wrap(`count ${msg.count} exceeds max_batch_count ${p.maxBatchCount}`);
      if (!(await k.registry.isActiveOperator(ctx.store, operator))) throw ErrOperatorNotActive.wrap(`${msg.operator} is not an active operator (unknown, jailed, unbonding or tombstoned)`);
      const terms = await k.royalty.termsFor(ctx.store, msg.modelId, msg.adapterId);
      if ((await keys.batchRoots.get(ctx.store, msg.root)) !== undefined) throw ErrDuplicateRoot.wrap(hex(msg.root));
      await checkPayerConsent(k, ctx, msg, payer);

      const current = k.epochOf(ctx.block.height, p);
      if (msg.epoch > current) throw ErrInvalidEpoch.wrap(`epoch ${msg.epoch} has not started; the current epoch is ${current}`);
      if (current - msg.epoch > p.maxBatchAgeEpochs) throw ErrInvalidEpoch.wrap(`epoch ${msg.epoch} is more than max_batch_age_epochs (${p.maxBatchAgeEpochs}) behind ${current}`);
      const start = await k.epochInfo(ctx.store, msg.epoch);
      if (start === undefined) throw ErrInvalidEpoch.wrap(`epoch ${msg.epoch} started before this chain's records`);
      const next = await k.epochInfo(ctx.store, msg.epoch + 1n);
      const timeEnd = msg.epoch < current && next !== undefined ? next.startTime : ctx.block.time.seconds + 1n;

      const denom = await k.denom(ctx.store);
      if (msg.mode === SettlementMode.SETTLEMENT_MODE_ESCROW) await k.lock(ctx, payer, msg.payer, amount);

      const id = await k.takeId(ctx.store, keys.nextBatchId);
      const size = sampleSize(amount, msg.count, p);
      ctx.gas.consume(SAMPLE_GAS * BigInt(size), 'batch sample');
      const sampleHeight = ctx.block.height + p.sampleDelayBlocks;
      const batch: Batch = {
        id,
        operator: msg.operator,
        payer: msg.payer,
        modelId: msg.modelId,
        adapterId: msg.adapterId,
        epoch: msg.epoch,
        root: msg.root,
        count: msg.count,
        units: msg.units,
        amount: { denom, amount: amount.toString() },
        mode: msg.mode,
        paymentRefsRoot: msg.paymentRefsRoot,
        status: BatchStatus.BATCH_STATUS_PENDING,
        submittedHeight: ctx.block.height,
        timeStart: start.startTime,
        timeEnd,
        revealDeadline: sampleHeight + p.revealWindow,
        disputeEnd: ctx.block.height + p.disputeWindowBlocks,
        sample: [],
        terms,
        fault: undefined,
        split: undefined,
        settledHeight: 0n,
        openRequests: 0,
        challenges: 0,
        payerKey: msg.payerKey,
        payerSignature: msg.payerSignature,
        sampleHeight,
        sampleSize: size,
        sampleDrawn: false,
      };
      k.indexBatch(ctx.store, batch, operator, payer);
      k.setBatch(ctx.store, batch);
      keys.draws.set(ctx.store, [sampleHeight, id], true);
      if (size > 0) keys.deadlines.set(ctx.store, [batch.revealDeadline, id], true);
      keys.finalizeQueue.set(ctx.store, [batch.disputeEnd, id], true);
      ctx.events.emit(EVENTS.submitBatch, {
        batch_id: id.toString(),
        operator: msg.operator,
        payer: msg.payer,
        model_id: msg.modelId,
        adapter_id: msg.adapterId,
        epoch: msg.epoch.toString(),
        root: hex(msg.root),
        count: msg.count.toString(),
        amount: formatCoins([{ denom, amount }]),
        mode: msg.mode === SettlementMode.SETTLEMENT_MODE_ESCROW ? 'escrow' : 'offchain',
        sample_height: sampleHeight.toString(),
        sample_size: String(size),
        reveal_deadline: batch.revealDeadline.toString(),
        dispute_end: batch.disputeEnd.toString(),
      });
      return msgResponse(RECEIPTS_TYPE_URLS.MsgSubmitBatch, MsgSubmitBatchResponse, { batchId: id, revealDeadline: batch.revealDeadline, disputeEnd: batch.disputeEnd, sampleHeight, sampleSize: size });
    },
  };
}

/**
 * The payer's consent, each failure with its own code: signed for this chain, by a key this payer
 * authorised and has not revoked, not already spent on another batch, over exactly these terms.
 */
async function checkPayerConsent(k: ReceiptsKeeper, ctx: Context, msg: MsgSubmitBatch, payer: Uint8Array): Promise<void> {
  if (msg.chainId !== ctx.block.chainId) throw ErrBatchSignatureChain.wrap(`the payer signed for chain "${msg.chainId}", this is "${ctx.block.chainId}"`);
  const key = await k.registry.payerKeyOf(ctx.store, payer, msg.payerKey);
  const keyHex = hex(msg.payerKey);
  if (key === undefined || ctx.block.height < key.authorizedHeight) throw ErrPayerKeyNotAuthorized.wrap(`${keyHex} is not a receipt key of ${msg.payer}`);
  if (key.revokedHeight !== 0n && ctx.block.height >= key.revokedHeight) throw ErrPayerKeyRevoked.wrap(`${msg.payer} revoked ${keyHex} at height ${key.revokedHeight}`);
  const used = await keys.batchSignatures.get(ctx.store, msg.payerSignature);
  if (used !== undefined) throw ErrBatchSignatureReplayed.wrap(`the signature was given for batch ${used}`);
  ctx.gas.consume(VERIFY_GAS, 'payer batch signature');
  if (!verifyBatchSignature(msg)) throw ErrBatchSignatureMismatch.wrap(`the signature by ${keyHex} is not over this batch's sign-bytes (chain, operator, payer, model, adapter, epoch, mode, root, count, units, amount, payment refs root)`);
}
