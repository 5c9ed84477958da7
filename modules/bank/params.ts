// bank params: the check genesis and MsgUpdateParams share (the SDK 0.50's Params.Validate).
import type { Params } from 'cosmjs-types/cosmos/bank/v1beta1/bank';

/** Throws an Error naming the bad field. */
export function validateParams(p: Params): void {
  // Deprecated in the SDK since 0.47 (per-denom flags moved out of params, to MsgSetSendEnabled);
  // Cairn has no per-denom flags at all, only default_send_enabled.
  if (p.sendEnabled.length > 0) throw new Error('send_enabled in params is no longer supported; only default_send_enabled is');
}
