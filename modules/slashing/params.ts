// slashing params as SPEC §2 names them: basis points for fractions (double_sign_bps 500,
// downtime_bps 1, min_signed_bps), a window of blocks, a jail duration in consensus time, and the
// evidence age in blocks. Queries report the cosmos Params form (Decs).
import type { Params } from 'cosmjs-types/cosmos/slashing/v1beta1/slashing';
import { GenesisError, at, object, optional, string, uint } from '../../core/framework/json.ts';
import { BPS, decFromBps, decFromBytes, decToBytes } from '../../core/framework/dec.ts';

export interface SlashingParams {
  readonly signedBlocksWindow: bigint;
  readonly minSignedBps: bigint;
  /** Milliseconds of consensus time a downtime jail lasts. */
  readonly downtimeJailMs: bigint;
  readonly doubleSignBps: bigint;
  readonly downtimeBps: bigint;
  readonly maxEvidenceAgeBlocks: bigint;
}

export const DEFAULT_PARAMS: SlashingParams = {
  signedBlocksWindow: 10_000n,
  minSignedBps: 5_000n,
  downtimeJailMs: 600_000n,
  doubleSignBps: 500n,
  downtimeBps: 1n,
  maxEvidenceAgeBlocks: 100_000n,
};

/** "600s", "1.5s", "10m", "1h", "250ms" → milliseconds. */
export function parseDuration(text: string, path: string): bigint {
  const m = /^([0-9]+)(?:\.([0-9]{1,3}))?(ms|s|m|h)$/.exec(text);
  if (m === null) throw new GenesisError(`${path}: "${text}" is not a duration such as 600s, 10m or 1h`);
  const unit = { ms: 1n, s: 1000n, m: 60_000n, h: 3_600_000n }[m[3] as 'ms' | 's' | 'm' | 'h'];
  const fraction = m[2] === undefined ? 0n : (BigInt(m[2].padEnd(3, '0')) * unit) / 1000n;
  return BigInt(m[1]!) * unit + fraction;
}

export function formatDuration(ms: bigint): string {
  return ms % 1000n === 0n ? `${ms / 1000n}s` : `${ms}ms`;
}

export function paramsToJson(p: SlashingParams): Record<string, string> {
  return {
    signed_blocks_window: p.signedBlocksWindow.toString(),
    min_signed_bps: p.minSignedBps.toString(),
    downtime_jail_duration: formatDuration(p.downtimeJailMs),
    double_sign_bps: p.doubleSignBps.toString(),
    downtime_bps: p.downtimeBps.toString(),
    max_evidence_age_blocks: p.maxEvidenceAgeBlocks.toString(),
  };
}

export function readParams(json: unknown): SlashingParams {
  const p = object(json, 'slashing.params');
  const read = (k: string, fallback: bigint): bigint => optional(p[k], fallback, (v) => uint(v, `slashing.params.${k}`));
  const params: SlashingParams = {
    signedBlocksWindow: read('signed_blocks_window', DEFAULT_PARAMS.signedBlocksWindow),
    minSignedBps: read('min_signed_bps', DEFAULT_PARAMS.minSignedBps),
    downtimeJailMs: optional(p['downtime_jail_duration'], DEFAULT_PARAMS.downtimeJailMs, (v) => parseDuration(string(v, 'slashing.params.downtime_jail_duration'), 'slashing.params.downtime_jail_duration')),
    doubleSignBps: read('double_sign_bps', DEFAULT_PARAMS.doubleSignBps),
    downtimeBps: read('downtime_bps', DEFAULT_PARAMS.downtimeBps),
    maxEvidenceAgeBlocks: read('max_evidence_age_blocks', DEFAULT_PARAMS.maxEvidenceAgeBlocks),
  };
  at('slashing.params', () => validateParams(params));
  return params;
}

/**
 * The check genesis and MsgUpdateParams share (the SDK's Params.Validate, plus Cairn's evidence age);
 * throws an Error naming the field, by its cosmos name and, for the fractions, its genesis name.
 */
export function validateParams(p: SlashingParams): void {
  if (p.signedBlocksWindow <= 0n) throw new Error(`signed_blocks_window must be positive, got ${p.signedBlocksWindow}`);
  if (p.downtimeJailMs <= 0n) throw new Error(`downtime_jail_duration must be positive, got ${formatDuration(p.downtimeJailMs)}`);
  if (p.maxEvidenceAgeBlocks <= 0n) throw new Error(`max_evidence_age_blocks must be positive, got ${p.maxEvidenceAgeBlocks}`);
  const fractions: [string, bigint][] = [
    ['min_signed_per_window (min_signed_bps)', p.minSignedBps],
    ['slash_fraction_double_sign (double_sign_bps)', p.doubleSignBps],
    ['slash_fraction_downtime (downtime_bps)', p.downtimeBps],
  ];
  for (const [name, bps] of fractions) {
    if (bps < 0n || bps > 10_000n) throw new Error(`${name} must be between 0 and 1 (10000 bps), got ${bps} bps`);
  }
}

export function toProtoParams(p: SlashingParams): Params {
  return {
    signedBlocksWindow: p.signedBlocksWindow,
    minSignedPerWindow: decToBytes(decFromBps(p.minSignedBps)),
    downtimeJailDuration: { seconds: p.downtimeJailMs / 1000n, nanos: Number(p.downtimeJailMs % 1000n) * 1_000_000 },
    slashFractionDoubleSign: decToBytes(decFromBps(p.doubleSignBps)),
    slashFractionDowntime: decToBytes(decFromBps(p.downtimeBps)),
  };
}

export function fromProtoParams(p: Params, maxEvidenceAgeBlocks: bigint): SlashingParams {
  return {
    signedBlocksWindow: p.signedBlocksWindow,
    minSignedBps: decFromBytes(p.minSignedPerWindow) / BPS,
    downtimeJailMs: p.downtimeJailDuration.seconds * 1000n + BigInt(Math.trunc(p.downtimeJailDuration.nanos / 1_000_000)),
    doubleSignBps: decFromBytes(p.slashFractionDoubleSign) / BPS,
    downtimeBps: decFromBytes(p.slashFractionDowntime) / BPS,
    maxEvidenceAgeBlocks,
  };
}
