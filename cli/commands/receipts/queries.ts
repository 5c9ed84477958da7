// cairn query receipts params | batch | batches | escrow | reservation | reservations | epoch |
// epoch-roots | royalty-ledger
import { arg, stringFlag, type CommandContext } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { checkAddress } from '../../node-client.ts';
import { fields, table } from '../../output.ts';
import * as q from '../../../proto/gen/cairn/receipts/v1/query.ts';
import { type Batch, BatchStatus, FaultKind, ReservationStatus } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import type { PageRequest } from '../../../proto/gen/cairn/registry/v1/types.ts';
import * as yq from '../../../proto/gen/cairn/royalty/v1/query.ts';
import { moduleQuery, parseId, withChain } from './client.ts';

const R = 'cairn.receipts.v1.Query';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const statusText = (s: number): string => ({ [BatchStatus.BATCH_STATUS_PENDING]: 'pending', [BatchStatus.BATCH_STATUS_FINALIZED]: 'finalized', [BatchStatus.BATCH_STATUS_REJECTED]: 'rejected' })[s] ?? String(s);
const faultText = (k: number): string => Object.entries(FaultKind).find(([, v]) => v === k)?.[0].replace('FAULT_KIND_', '').toLowerCase().replace(/_/g, ' ') ?? String(k);
const reservationText = (s: number): string => Object.entries(ReservationStatus).find(([, v]) => v === s)?.[0].replace('RESERVATION_STATUS_', '').toLowerCase() ?? String(s);

function page(ctx: CommandContext): PageRequest {
  const limit = stringFlag(ctx, 'limit') ?? '100';
  if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000) throw new UsageError(`--limit "${limit}" must be between 1 and 1000`);
  const key = stringFlag(ctx, 'page-key') ?? '';
  if (!/^([0-9a-fA-F]{2})*$/.test(key)) throw new UsageError('--page-key must be the hex key printed as "next page key"');
  return { key: new Uint8Array(Buffer.from(key, 'hex')), offset: 0n, limit: BigInt(limit), countTotal: false, reverse: false };
}

const next = (k: Uint8Array | undefined): string => (k !== undefined && k.length > 0 ? `\nnext page key: ${hex(k)} (use --page-key)` : '');

function batchView(b: Batch) {
  return {
    id: b.id,
    status: statusText(b.status),
    operator: b.operator,
    payer: b.payer,
    model: b.adapterId === '' ? b.modelId : `${b.modelId} + ${b.adapterId}`,
    epoch: b.epoch,
    root: hex(b.root),
    count: b.count,
    amount: `${b.amount?.amount}${b.amount?.denom}`,
    mode: b.mode === 1 ? 'escrow' : 'offchain',
    sample: b.sample.map((s) => `${s.index}${s.revealed ? ' (revealed)' : ''}`),
    sampleDrawn: b.sampleDrawn,
    sampleHeight: b.sampleHeight,
    sampleSize: b.sampleSize,
    revealDeadline: b.revealDeadline,
    disputeEnd: b.disputeEnd,
    fault: b.fault === undefined ? undefined : { kind: faultText(b.fault.kind), detail: b.fault.detail, prover: b.fault.prover, slashed: `${b.fault.slashed?.amount}${b.fault.slashed?.denom}` },
    split: b.split,
  };
}

/** Text labels for batchView's camelCase keys. */
const LABELS: Record<string, string> = { revealDeadline: 'reveal by height', disputeEnd: 'dispute window ends' };

/** Where a settled batch's amount went; "not settled" before finalization. */
function splitText(split: Batch['split']): string {
  if (split === undefined || split.total === '') return 'not settled';
  const d = split.denom;
  const royalties = split.royalties.map((r) => `${r.amount}${d} to ${r.address} (${r.modelId})`).join(', ') || 'none';
  return `total ${split.total}${d}: fee ${split.feeBurned}${d} burned + ${split.feeTreasury}${d} treasury; royalties ${royalties}; operator ${split.operatorAmount}${d}`;
}

export async function params(ctx: CommandContext): Promise<void> {
  const res = await withChain(ctx, (c) => moduleQuery(c, R, 'Params', q.QueryParamsRequest, q.QueryParamsResponse, {}));
  const p = res.params!;
  ctx.print({
    json: p,
    text: () =>
      fields([
        ['epoch', `${p.epochBlocks} blocks`],
        ['windows', `reveal ${p.revealWindow}, dispute ${p.disputeWindowBlocks}, escrow withdrawal ${p.escrowWithdrawDelay} blocks`],
        ['sample', `max(${p.sampleCount}, ceil(amount / ${p.sampleAmountStep})) leaves per batch, at most ${p.maxSampleCount}, drawn ${p.sampleDelayBlocks} blocks after submission`],
        ['challenge bond', `${p.challengeBond?.amount}${p.challengeBond?.denom}`],
        ['slash (bps)', `receipt fraud ${p.receiptFraudBps}, double claim ${p.doubleClaimBps}, sum fraud ${p.sumFraudBps}, data unavailable ${p.dataUnavailableBps}, stale attestation ${p.staleAttestationBps}, refusal ${p.refusalBps}`],
        ['challenger reward', `${p.challengerRewardBps} bps of the slash`],
      ]),
  });
}

export async function batch(ctx: CommandContext): Promise<void> {
  const id = parseId(arg(ctx, 0), 'batch id');
  const res = await withChain(ctx, (c) => moduleQuery(c, R, 'Batch', q.QueryBatchRequest, q.QueryBatchResponse, { id }));
  const v = batchView(res.batch!);
  ctx.print({
    json: { batch: v, challenges: res.challenges, requests: res.requests },
    text: () =>
      fields([
        ...Object.entries(v)
          .filter(([k, x]) => x !== undefined && typeof x !== 'object' && !k.startsWith('sample'))
          .map(([k, x]) => [LABELS[k] ?? k, String(x)] as [string, string]),
        ['sample', v.sampleDrawn ? v.sample.join(', ') || '(none)' : `${v.sampleSize} leaves, drawn at height ${v.sampleHeight}`],
        ['split', splitText(v.split)],
        ['fault', v.fault === undefined ? 'none' : `${v.fault.kind}: ${v.fault.detail} (slashed ${v.fault.slashed})`],
        ['challenges', res.challenges.map((c) => `${c.challenger} at ${c.height}: ${c.outcome}`).join('; ') || 'none'],
        ['open requests', res.requests.map((r) => `leaf ${r.index} until ${r.deadline}`).join('; ') || 'none'],
      ]),
  });
}

export async function batches(ctx: CommandContext): Promise<void> {
  const status = stringFlag(ctx, 'status');
  const statusValue = status === undefined ? 0 : ({ pending: 1, finalized: 2, rejected: 3 } as Record<string, number>)[status];
  if (statusValue === undefined) throw new UsageError('--status must be pending, finalized or rejected');
  const epoch = stringFlag(ctx, 'epoch');
  const req = q.QueryBatchesRequest.fromPartial({
    operator: stringFlag(ctx, 'operator') === undefined ? '' : checkAddress(stringFlag(ctx, 'operator')!),
    payer: stringFlag(ctx, 'payer') === undefined ? '' : checkAddress(stringFlag(ctx, 'payer')!),
    hasEpoch: epoch !== undefined,
    epoch: epoch === undefined ? 0n : parseId(epoch, '--epoch'),
    status: statusValue as BatchStatus,
    pagination: page(ctx),
  });
  const res = await withChain(ctx, (c) => moduleQuery(c, R, 'Batches', q.QueryBatchesRequest, q.QueryBatchesResponse, req));
  const views = res.batches.map(batchView);
  ctx.print({
    json: { batches: views, nextKey: hex(res.pagination?.nextKey ?? new Uint8Array()) },
    text: () => table(['id', 'status', 'operator', 'epoch', 'count', 'amount', 'mode'], views.map((b) => [String(b.id), b.status, b.operator, String(b.epoch), String(b.count), b.amount, b.mode])) + next(res.pagination?.nextKey),
  });
}

export async function escrow(ctx: CommandContext): Promise<void> {
  const payer = checkAddress(arg(ctx, 0), 'payer');
  const res = await withChain(ctx, (c) => moduleQuery(c, R, 'Escrow', q.QueryEscrowRequest, q.QueryEscrowResponse, { payer }));
  const e = res.escrow!;
  ctx.print({
    json: res,
    text: () =>
      fields([
        ['payer', e.payer],
        ['available', `${e.available}${e.denom}`],
        ['locked by pending batches', `${e.locked}${e.denom}`],
        ['withdrawals', res.withdrawals.map((w) => `${w.amount?.amount}${w.amount?.denom} at height ${w.completionHeight}`).join('; ') || 'none'],
      ]),
  });
}

export async function reservation(ctx: CommandContext): Promise<void> {
  const id = parseId(arg(ctx, 0), 'reservation id');
  const res = await withChain(ctx, (c) => moduleQuery(c, R, 'Reservation', q.QueryReservationRequest, q.QueryReservationResponse, { id }));
  const r = res.reservation!;
  ctx.print({
    json: r,
    text: () =>
      fields([
        ['id', String(r.id)],
        ['status', reservationText(r.status)],
        ['payer', r.payer],
        ['operator', r.operator],
        ['GPUs', `${r.gpuCount} × ${r.gpuId} for ${r.hours} h`],
        ['amount', `${r.amount?.amount}${r.amount?.denom}`],
        ['start by height', String(r.startDeadline)],
      ]),
  });
}

export async function reservations(ctx: CommandContext): Promise<void> {
  const payer = stringFlag(ctx, 'payer');
  const operator = stringFlag(ctx, 'operator');
  if ((payer === undefined) === (operator === undefined)) throw new UsageError('give exactly one of --payer and --operator');
  const req = { payer: payer === undefined ? '' : checkAddress(payer), operator: operator === undefined ? '' : checkAddress(operator), pagination: page(ctx) };
  const res = await withChain(ctx, (c) => moduleQuery(c, R, 'Reservations', q.QueryReservationsRequest, q.QueryReservationsResponse, req));
  ctx.print({
    json: res,
    text: () => table(['id', 'status', 'operator', 'gpu', 'hours', 'amount'], res.reservations.map((r) => [String(r.id), reservationText(r.status), r.operator, `${r.gpuCount} × ${r.gpuId}`, String(r.hours), `${r.amount?.amount}${r.amount?.denom}`])) + next(res.pagination?.nextKey),
  });
}

export async function epoch(ctx: CommandContext): Promise<void> {
  const res = await withChain(ctx, (c) => moduleQuery(c, R, 'Epoch', q.QueryEpochRequest, q.QueryEpochResponse, {}));
  ctx.print({ json: res, text: fields([['epoch', String(res.current?.epoch ?? '?')], ['started at height', String(res.current?.startHeight ?? '?')], ['epoch blocks', String(res.epochBlocks)]]) });
}

export async function epochRoots(ctx: CommandContext): Promise<void> {
  const e = parseId(arg(ctx, 0), 'epoch');
  const res = await withChain(ctx, (c) => moduleQuery(c, R, 'EpochRoots', q.QueryEpochRootsRequest, q.QueryEpochRootsResponse, { epoch: e }));
  const r = res.roots!;
  ctx.print({
    json: { ...r, storeKey: hex(res.storeKey) },
    text: () =>
      fields([
        ['epoch', String(r.epoch)],
        ['receipts root', hex(r.receiptsRoot)],
        ['royalty root', hex(r.royaltyRoot)],
        ['batches', `${r.batches} (${r.count} receipts, ${r.amount})`],
        ['stored at height', String(r.height)],
        ['store key', `${hex(res.storeKey)} (prove it with an ABCI query of /store/key, prove=true)`],
      ]),
  });
}

export async function royaltyLedger(ctx: CommandContext): Promise<void> {
  const recipient = checkAddress(arg(ctx, 0), 'recipient');
  const res = await withChain(ctx, (c) => moduleQuery(c, 'cairn.royalty.v1.Query', 'Ledger', yq.QueryLedgerRequest, yq.QueryLedgerResponse, { recipient, pagination: page(ctx) }));
  const e = res.entry!;
  ctx.print({
    json: res,
    text: () =>
      fields([['recipient', e.recipient], ['paid', `${e.paid}${e.denom}`], ['owed off chain', `${e.owed}${e.denom}`]]) +
      '\n' +
      table(['epoch', 'paid', 'owed'], res.accruals.map((a) => [String(a.epoch), a.paid, a.owed])) +
      next(res.pagination?.nextKey),
  });
}
