// distribution params: the community tax (a fraction of every block's fees kept in the community
// pool; 0 by default, since SPEC §2 pays fees to validators by power) and whether delegators may set
// a withdraw address. The proposer bonuses of old SDK versions do not exist (always 0).
import type { Params } from 'cosmjs-types/cosmos/distribution/v1beta1/distribution';
import { GenesisError, at, object, optional, string } from '../../core/framework/json.ts';
import { type Dec, ONE, decToProto, formatDec, parseDec, parseDecJson } from '../../core/framework/dec.ts';

export interface DistributionParams {
  readonly communityTax: Dec;
  readonly withdrawAddrEnabled: boolean;
}

export const DEFAULT_PARAMS: DistributionParams = { communityTax: 0n, withdrawAddrEnabled: true };

export function paramsToJson(p: DistributionParams): Record<string, unknown> {
  return { community_tax: formatDec(p.communityTax), withdraw_addr_enabled: p.withdrawAddrEnabled };
}

export function readParams(json: unknown): DistributionParams {
  const p = object(json, 'distribution.params');
  let communityTax: Dec;
  try {
    communityTax = optional(p['community_tax'], DEFAULT_PARAMS.communityTax, (v) => parseDecJson(string(v, 'distribution.params.community_tax')));
  } catch (err) {
    if (err instanceof GenesisError) throw err;
    throw new GenesisError(`distribution.params.community_tax: ${(err as Error).message}`);
  }
  const enabled = optional(p['withdraw_addr_enabled'], DEFAULT_PARAMS.withdrawAddrEnabled, (v) => {
    if (typeof v !== 'boolean') throw new GenesisError('distribution.params.withdraw_addr_enabled: expected a boolean');
    return v;
  });
  const params = { communityTax, withdrawAddrEnabled: enabled };
  at('distribution.params', () => validateParams(params));
  return params;
}

/** The check genesis and MsgUpdateParams share (the SDK's Params.ValidateBasic); throws an Error naming the field. */
export function validateParams(p: DistributionParams): void {
  if (p.communityTax < 0n || p.communityTax > ONE) throw new Error(`community_tax must be between 0 and 1, got ${formatDec(p.communityTax)}`);
}

export function toProtoParams(p: DistributionParams): Params {
  return { communityTax: decToProto(p.communityTax), baseProposerReward: '0', bonusProposerReward: '0', withdrawAddrEnabled: p.withdrawAddrEnabled };
}

export function fromProtoParams(p: Params): DistributionParams {
  return { communityTax: parseDec(p.communityTax), withdrawAddrEnabled: p.withdrawAddrEnabled };
}
