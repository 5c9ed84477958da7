// SPEC §0 for staking: every bonded token is backed by a pool balance. bonded_tokens_pool holds
// exactly the tokens of BONDED validators; not_bonded_tokens_pool exactly those of the other
// validators plus every unbonding entry's balance. Delegation shares add up to each validator's.
import { moduleAddress } from '../../core/framework/address.ts';
import type { KVRead } from '../../core/store/types.ts';
import { bankView } from '../bank/api.ts';
import { parseDec } from '../../core/framework/dec.ts';
import * as keys from './keys.ts';
import { BONDED_POOL, NOT_BONDED_POOL } from './keys.ts';
import { DEFAULT_PARAMS } from './params.ts';
import { isBonded, sharesOf, tokensOf } from './view.ts';

export async function checkStakingInvariants(store: KVRead): Promise<string[]> {
  const denom = (await keys.params.get(store))?.bondDenom ?? DEFAULT_PARAMS.bondDenom;
  let bonded = 0n;
  let notBonded = 0n;
  const shares = new Map<string, bigint>();
  const broken: string[] = [];
  for await (const [operator, v] of keys.validators.entries(store)) {
    if (isBonded(v)) bonded += tokensOf(v);
    else notBonded += tokensOf(v);
    shares.set(Buffer.from(operator).toString('hex'), sharesOf(v));
  }
  for await (const [, u] of keys.unbondingDelegations.entries(store)) for (const e of u.entries) notBonded += BigInt(e.balance);
  const held = async (pool: string): Promise<bigint> => bankView.balance(store, moduleAddress(pool), denom);
  const bondedHeld = await held(BONDED_POOL);
  const notBondedHeld = await held(NOT_BONDED_POOL);
  if (bondedHeld !== bonded) broken.push(`${BONDED_POOL} holds ${bondedHeld}${denom} but bonded validators have ${bonded}`);
  if (notBondedHeld !== notBonded) broken.push(`${NOT_BONDED_POOL} holds ${notBondedHeld}${denom} but unbonded validators and unbonding entries have ${notBonded}`);

  const sums = new Map<string, bigint>();
  for await (const [[, operator], d] of keys.delegations.entries(store)) {
    const key = Buffer.from(operator).toString('hex');
    sums.set(key, (sums.get(key) ?? 0n) + parseDec(d.shares));
  }
  for (const [key, total] of shares) {
    if ((sums.get(key) ?? 0n) !== total) broken.push(`validator ${key} has ${total} shares but its delegations add up to ${sums.get(key) ?? 0n}`);
  }
  for (const key of sums.keys()) if (!shares.has(key)) broken.push(`delegations to ${key}, which is not a validator`);
  return broken;
}
