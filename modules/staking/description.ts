// Validator descriptions and commission rates: the SDK's stateless limits, checked before any state
// is read, and its rules for changing a commission (at most once a day, by at most max_change_rate).
import type { CommissionRates, Description } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { type Dec, ONE, formatDec as f, parseDec } from '../../core/framework/dec.ts';
import {
  ErrCommissionChangeRateGTMaxRate,
  ErrCommissionGTMaxChangeRate,
  ErrCommissionGTMaxRate,
  ErrCommissionHuge,
  ErrCommissionUpdateTime,
  ErrInvalidDescription,
} from './errors.ts';

/** The SDK's marker for "leave this field as it is" in MsgEditValidator. */
export const DO_NOT_MODIFY = '[do-not-modify]';

const LIMITS: Record<keyof Description, number> = { moniker: 70, identity: 3000, website: 140, securityContact: 140, details: 280 };

export function validateDescription(d: Description, requireMoniker: boolean): void {
  if (requireMoniker && d.moniker.trim() === '') throw ErrInvalidDescription.wrap('moniker must not be empty');
  for (const [field, max] of Object.entries(LIMITS) as [keyof Description, number][]) {
    const value = d[field];
    if (value !== DO_NOT_MODIFY && [...value].length > max) throw ErrInvalidDescription.wrap(`${field} is longer than ${max} characters`);
  }
}

/** Fields set to "[do-not-modify]" keep their current value. */
export function mergeDescription(current: Description, edit: Description): Description {
  const pick = (k: keyof Description): string => (edit[k] === DO_NOT_MODIFY ? current[k] : edit[k]);
  return { moniker: pick('moniker'), identity: pick('identity'), website: pick('website'), securityContact: pick('securityContact'), details: pick('details') };
}

export interface Rates {
  readonly rate: Dec;
  readonly maxRate: Dec;
  readonly maxChangeRate: Dec;
}

export function parseRates(c: CommissionRates): Rates {
  const rates = {
    rate: parseDec(c.rate, 'commission rate'),
    maxRate: parseDec(c.maxRate, 'commission max rate'),
    maxChangeRate: parseDec(c.maxChangeRate, 'commission max change rate'),
  };
  if (rates.maxRate > ONE) throw ErrCommissionHuge.wrap(`max rate ${f(rates.maxRate)}`);
  if (rates.rate > rates.maxRate) throw ErrCommissionGTMaxRate.wrap(`rate ${f(rates.rate)} > max rate ${f(rates.maxRate)}`);
  if (rates.maxChangeRate > rates.maxRate) throw ErrCommissionChangeRateGTMaxRate.wrap(`max change rate ${f(rates.maxChangeRate)} > max rate ${f(rates.maxRate)}`);
  return rates;
}

const DAY_SECONDS = 24n * 60n * 60n;

/** A commission change: not within 24 h of the last one, within max rate, by at most max change rate. */
export function checkNewRate(current: Rates, lastUpdateSeconds: bigint, nowSeconds: bigint, next: Dec): void {
  if (nowSeconds - lastUpdateSeconds < DAY_SECONDS) {
    throw ErrCommissionUpdateTime.wrap(`last changed ${nowSeconds - lastUpdateSeconds} s ago`);
  }
  if (next > ONE) throw ErrCommissionHuge.wrap(`rate ${f(next)}`);
  if (next > current.maxRate) throw ErrCommissionGTMaxRate.wrap(`rate ${f(next)} > max rate ${f(current.maxRate)}`);
  const change = next > current.rate ? next - current.rate : current.rate - next;
  if (change > current.maxChangeRate) {
    throw ErrCommissionGTMaxChangeRate.wrap(`change of ${f(change)} exceeds ${f(current.maxChangeRate)}`);
  }
}
