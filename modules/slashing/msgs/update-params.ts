// MsgUpdateParams: replaces the slashing params. Only the app's params authority (the gov module
// account) may sign it; the new set passes the same check as genesis. Cairn keeps the fractions in
// basis points (SPEC §2), so a Dec finer than 0.0001 is refused rather than silently rounded, and the
// evidence age (not a cosmos param) stays as it is.
import { MsgUpdateParams, MsgUpdateParamsResponse } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import type { Params } from 'cosmjs-types/cosmos/slashing/v1beta1/slashing';
import { checkNewParams, requireAuthority } from '../../../core/framework/authority.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { SLASHING_TYPE_URLS } from '../../../sdk/slashing/messages.ts';
import { BPS, decFromBytes, formatDec } from '../../../core/framework/dec.ts';
import type { SlashingKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { type SlashingParams, toProtoParams, validateParams } from '../params.ts';

export function msgUpdateParams(k: SlashingKeeper, authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: SLASHING_TYPE_URLS.MsgUpdateParams,
    decode: (bytes) => MsgUpdateParams.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      requireAuthority(ctx.addresses, authority, msg.authority);
      checkNewParams(() => validateParams(fromMsg(msg.params, 1n)));
    },

    async execute(msg, ctx) {
      const next = fromMsg(msg.params, (await k.params(ctx.store)).maxEvidenceAgeBlocks);
      keys.params.set(ctx.store, toProtoParams(next));
      return msgResponse(SLASHING_TYPE_URLS.MsgUpdateParams, MsgUpdateParamsResponse, {});
    },
  };
}

function fromMsg(p: Params, maxEvidenceAgeBlocks: bigint): SlashingParams {
  const bps = (name: string, bytes: Uint8Array): bigint => {
    if (bytes.length === 0) throw new Error(`${name} must not be empty`);
    const dec = decFromBytes(bytes);
    if (dec % BPS !== 0n) throw new Error(`${name} ${formatDec(dec)} is finer than Cairn's basis points (0.0001)`);
    return dec / BPS;
  };
  const jail = p.downtimeJailDuration;
  if (jail.seconds < 0n || jail.nanos < 0 || jail.nanos % 1_000_000 !== 0) throw new Error('downtime_jail_duration must be a positive whole number of milliseconds');
  return {
    signedBlocksWindow: p.signedBlocksWindow,
    minSignedBps: bps('min_signed_per_window', p.minSignedPerWindow),
    downtimeJailMs: jail.seconds * 1000n + BigInt(jail.nanos / 1_000_000),
    doubleSignBps: bps('slash_fraction_double_sign', p.slashFractionDoubleSign),
    downtimeBps: bps('slash_fraction_downtime', p.slashFractionDowntime),
    maxEvidenceAgeBlocks,
  };
}
