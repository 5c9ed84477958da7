// Royalty params: defaults and the checks shared by genesis and MsgUpdateParams.
import type { AddressCodec } from '../../core/framework/address.ts';
import { govAccount } from '../../core/framework/authority.ts';
import type { Params } from '../../proto/gen/cairn/royalty/v1/types.ts';
import { ErrInvalidParams } from './errors.ts';

export const BPS = 10_000;

export function defaultParams(addresses: AddressCodec): Params {
  return {
    authority: addresses.encode(govAccount()),
    protocolFeeBps: 500,
    burnBps: 5000,
    maxTotalRoyaltyBps: 3000,
  };
}

function bps(name: string, v: number, max = BPS): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw ErrInvalidParams.wrap(`${name} ${v} must be an integer between 0 and ${max}`);
}

export function validateParams(p: Params, addresses: AddressCodec): void {
  try {
    addresses.decode(p.authority);
  } catch (e) {
    throw ErrInvalidParams.wrap(`authority: ${(e as Error).message}`);
  }
  bps('protocol_fee_bps', p.protocolFeeBps);
  bps('burn_bps', p.burnBps);
  bps('max_total_royalty_bps', p.maxTotalRoyaltyBps);
  // The operator's share is what is left: fee and royalties together can never exceed the amount.
  if (p.protocolFeeBps + p.maxTotalRoyaltyBps > BPS) {
    throw ErrInvalidParams.wrap(`protocol_fee_bps + max_total_royalty_bps = ${p.protocolFeeBps + p.maxTotalRoyaltyBps} exceeds ${BPS}`);
  }
}
