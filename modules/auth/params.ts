// auth params: the checks genesis and MsgUpdateParams share (the SDK's Params.Validate: every
// limit and cost must be positive, or the ante checks would refuse every tx or charge nothing).
import type { Params } from 'cosmjs-types/cosmos/auth/v1beta1/auth';

/** Throws an Error naming the first bad field. */
export function validateParams(p: Params): void {
  const positive: [string, bigint][] = [
    ['max_memo_characters', p.maxMemoCharacters],
    ['tx_sig_limit', p.txSigLimit],
    ['tx_size_cost_per_byte', p.txSizeCostPerByte],
    ['sig_verify_cost_ed25519', p.sigVerifyCostEd25519],
    ['sig_verify_cost_secp256k1', p.sigVerifyCostSecp256k1],
  ];
  for (const [name, value] of positive) if (value <= 0n) throw new Error(`${name} must be positive, got ${value}`);
}
