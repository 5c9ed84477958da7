// cairn tx registry register-operator | update-operator | add-bond | begin-unbond | rotate-receipt-key | commit-gpus
import { coinToChain, parseCoin } from '../../amount.ts';
import { arg, stringFlag, type CommandContext } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { registryMsgs } from '../../../sdk/registry/messages.ts';
import { type GpuCommitment, GpuTier, TeeType } from '../../../proto/gen/cairn/registry/v1/types.ts';
import { eventAttribute } from '../../tx.ts';
import { enumByName, listFlag, parseKey, parseSpec, sendRegistryTx } from './client.ts';

function listing(ctx: CommandContext): { moniker: string; endpoints: string[]; region: string; linkedHosts: string[] } {
  const moniker = stringFlag(ctx, 'moniker');
  const region = stringFlag(ctx, 'region');
  const endpoints = listFlag(ctx, 'endpoint');
  if (moniker === undefined) throw new UsageError('--moniker is required: the name shown in the catalog');
  if (region === undefined) throw new UsageError('--region is required, e.g. --region eu-west');
  if (endpoints.length === 0) throw new UsageError('give at least one --endpoint https://…');
  return { moniker, endpoints, region, linkedHosts: listFlag(ctx, 'linked-host') };
}

export async function registerOperator(ctx: CommandContext): Promise<void> {
  const info = listing(ctx);
  const keyText = stringFlag(ctx, 'receipt-key');
  const bondText = stringFlag(ctx, 'bond');
  if (keyText === undefined) throw new UsageError('--receipt-key is required: the ed25519 public key that signs your receipts');
  if (bondText === undefined) throw new UsageError('--bond is required, e.g. --bond 100000000ucairn');
  const receiptKey = parseKey(keyText, '--receipt-key');
  const bond = coinToChain(parseCoin(bondText, { what: '--bond' }));
  await sendRegistryTx(ctx, (operator) => [registryMsgs.MsgRegisterOperator({ operator, ...info, receiptKey, bond })]);
}

export async function updateOperator(ctx: CommandContext): Promise<void> {
  const info = listing(ctx);
  await sendRegistryTx(ctx, (operator) => [registryMsgs.MsgUpdateOperator({ operator, ...info })]);
}

export async function addBond(ctx: CommandContext): Promise<void> {
  const amount = coinToChain(parseCoin(arg(ctx, 1)));
  await sendRegistryTx(ctx, (operator) => [registryMsgs.MsgAddBond({ operator, amount })]);
}

export async function unjail(ctx: CommandContext): Promise<void> {
  await sendRegistryTx(ctx, (operator) => [registryMsgs.MsgUnjailOperator({ operator })]);
}

export async function beginUnbond(ctx: CommandContext): Promise<void> {
  const amount = coinToChain(parseCoin(arg(ctx, 1)));
  await sendRegistryTx(ctx, (operator) => [registryMsgs.MsgBeginUnbond({ operator, amount })], (r) => [
    ['unbonding id', eventAttribute(r, 'begin_unbond', 'unbonding_id') ?? '?'],
    ['released at height', eventAttribute(r, 'begin_unbond', 'completion_height') ?? '?'],
  ]);
}

export async function rotateReceiptKey(ctx: CommandContext): Promise<void> {
  const newKey = parseKey(arg(ctx, 1), 'new key');
  await sendRegistryTx(ctx, (operator) => [registryMsgs.MsgRotateReceiptKey({ operator, newKey })]);
}

const GPU_FIELDS = ['id', 'model', 'vram-gb', 'count', 'tier', 'tee', 'price', 'reservable'] as const;

/** "id=g0,model=H100-80GB,vram-gb=80,count=8,tier=datacenter,tee=none+sev-snp,price=2000000ucairn,reservable" */
export function parseGpu(text: string): GpuCommitment {
  const what = `--gpu "${text}"`;
  const spec = parseSpec(text, what, GPU_FIELDS);
  const need = (k: string): string => {
    const v = spec.get(k);
    if (v === undefined || v === '') throw new UsageError(`${what}: "${k}" is required`);
    return v;
  };
  const int = (k: string): number => {
    const v = need(k);
    if (!/^\d{1,9}$/.test(v)) throw new UsageError(`${what}: ${k} "${v}" must be a whole number`);
    return Number(v);
  };
  const reservable = spec.get('reservable') ?? 'false';
  if (reservable !== 'true' && reservable !== 'false') throw new UsageError(`${what}: reservable must be true or false`);
  return {
    id: need('id'),
    model: need('model'),
    vramGb: int('vram-gb'),
    count: int('count'),
    tier: enumByName(GpuTier, 'GPU_TIER_', need('tier'), `${what}: tier`),
    teeTypes: (spec.get('tee') ?? 'none').split('+').map((t) => enumByName(TeeType, 'TEE_TYPE_', t, `${what}: tee`)),
    pricePerHour: coinToChain(parseCoin(need('price'), { what: `${what}: price` })),
    reservable: reservable === 'true',
  };
}

export async function commitGpus(ctx: CommandContext): Promise<void> {
  const gpus = listFlag(ctx, 'gpu').map(parseGpu);
  if (gpus.length === 0 && !ctx.flags['none']) throw new UsageError('give one --gpu per commitment, or --none to withdraw every commitment');
  await sendRegistryTx(ctx, (operator) => [registryMsgs.MsgCommitGpus({ operator, gpus })]);
}
