// cairn tx emission report-availability | challenge-capacity | prove-capacity. Arguments are checked
// here, before any key is unlocked or node contacted; the chain checks the rest (see
// modules/emission/README.md for the refusals).
import { arg, type CommandContext, stringFlag } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { checkAddress } from '../../node-client.ts';
import { MAX_GPU_ID_LENGTH, MAX_REPORTS, emissionMsgs } from '../../../sdk/emission/messages.ts';
import { eventAttribute } from '../../tx.ts';
import { parseId, sendReceiptsTx as sendTx } from '../receipts/client.ts';

export interface UptimeEntry {
  readonly operator: string;
  readonly uptimeBps: number;
}

/** Parses `cairn1…=9950,cairn1…=10000`: each operator once, uptime 0–10000 bps. */
export function parseUptimeReports(text: string): UptimeEntry[] {
  const out: UptimeEntry[] = [];
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const m = /^([^=\s]+)=(\d{1,5})$/.exec(part.trim());
    if (m === null) throw new UsageError(`report "${part}" must be <operator>=<uptime_bps>, e.g. cairn1…=9950`);
    const operator = checkAddress(m[1]!, 'operator');
    const uptimeBps = Number(m[2]);
    if (uptimeBps > 10_000) throw new UsageError(`uptime ${uptimeBps} bps for ${operator} is above 10000 (100%)`);
    if (seen.has(operator)) throw new UsageError(`operator ${operator} is reported twice`);
    seen.add(operator);
    out.push({ operator, uptimeBps });
  }
  if (out.length > MAX_REPORTS) throw new UsageError(`${out.length} reports; at most ${MAX_REPORTS} per transaction`);
  return out;
}

function hexBytes(text: string | undefined, flag: string, length: number): Uint8Array {
  if (text === undefined) throw new UsageError(`--${flag} <hex> is required`);
  if (!new RegExp(`^[0-9a-fA-F]{${length * 2}}$`).test(text)) throw new UsageError(`--${flag} must be ${length} bytes of hex (${length * 2} characters)`);
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** A validator's uptime measurements of operators for the current epoch. */
export async function reportAvailability(ctx: CommandContext): Promise<void> {
  const epoch = parseId(arg(ctx, 1), 'epoch');
  const reports = parseUptimeReports(arg(ctx, 2));
  await sendTx(ctx, (validator) => [emissionMsgs.MsgReportAvailability({ validator, epoch, reports })], () => [
    ['epoch', epoch.toString()],
    ['operators', String(reports.length)],
  ]);
}

/** Names (or, with `none`, removes) the account that may sign availability reports for the validator. */
export async function setReporter(ctx: CommandContext): Promise<void> {
  const text = arg(ctx, 1);
  const reporter = text === 'none' ? '' : checkAddress(text, 'reporter');
  await sendTx(ctx, (validator) => [emissionMsgs.MsgSetAvailabilityReporter({ validator, reporter })], () => [['reporter', reporter === '' ? '(removed)' : reporter]]);
}

/** Challenges a committed GPU, paying the capacity_challenge_bond. */
export async function challengeCapacity(ctx: CommandContext): Promise<void> {
  const operator = checkAddress(arg(ctx, 1), 'operator');
  const gpuId = arg(ctx, 2);
  if (gpuId === '' || gpuId.length > MAX_GPU_ID_LENGTH) throw new UsageError(`gpu-id must be 1 to ${MAX_GPU_ID_LENGTH} characters`);
  await sendTx(ctx, (challenger) => [emissionMsgs.MsgChallengeCapacity({ challenger, operator, gpuId })], (r) => [
    ['challenge id', eventAttribute(r, 'capacity_challenge', 'challenge_id') ?? '?'],
    ['operator must prove by height', eventAttribute(r, 'capacity_challenge', 'deadline') ?? '?'],
    ['bond', eventAttribute(r, 'capacity_challenge', 'bond') ?? '?'],
  ]);
}

/** Answers a capacity challenge with a trusted verifier's signed benchmark. */
export async function proveCapacity(ctx: CommandContext): Promise<void> {
  const challengeId = parseId(arg(ctx, 1), 'challenge id');
  const countText = arg(ctx, 2);
  if (!/^\d{1,10}$/.test(countText) || Number(countText) > 0xffff_ffff) throw new UsageError(`measured count "${countText}" must be a non-negative integer`);
  const measuredCount = Number(countText);
  const verifier = hexBytes(stringFlag(ctx, 'verifier'), 'verifier', 32);
  const signature = hexBytes(stringFlag(ctx, 'signature'), 'signature', 64);
  await sendTx(ctx, (operator) => [emissionMsgs.MsgProveCapacity({ operator, challengeId, measuredCount, verifier, signature })], () => [
    ['challenge id', challengeId.toString()],
    ['measured GPUs', String(measuredCount)],
  ]);
}
