// MsgUpdateParams for emission: only the params authority may replace the params; params that would
// let emission exceed the cap, weights that do not sum to 10000, a bps above 10000, another denom or
// a cap below the current supply are refused with a clear error and change nothing.
import type { EncodeObject } from '@cosmjs/proto-signing';
import { describe, expect, it } from 'vitest';
import { EMISSION_TYPE_URLS } from '../sdk/emission/messages.ts';
import { emissionQuery, startEmissionChain } from './support/emission-chain.ts';
import { type ReceiptsChain, type Role, roleWallets } from './support/receipts-chain.ts';
import * as q from '../proto/gen/cairn/emission/v1/query.ts';
import type { Params } from '../proto/gen/cairn/emission/v1/types.ts';

async function params(rc: ReceiptsChain): Promise<Params> {
  return (await emissionQuery(rc, 'Params', q.QueryParamsRequest, q.QueryParamsResponse, {})).params!;
}

function update(rc: ReceiptsChain, by: Role, p: Params): EncodeObject {
  return { typeUrl: EMISSION_TYPE_URLS.MsgUpdateParams, value: { authority: rc.address(by), params: p } };
}

async function chain(): Promise<ReceiptsChain> {
  const w = await roleWallets();
  return startEmissionChain({ emission: { authority: w.author.address } });
}

describe('emission MsgUpdateParams', () => {
  it('applies a valid update signed by the params authority', async () => {
    const rc = await chain();
    const before = await params(rc);
    expect(before.authority).toBe(rc.address('author'));
    const next: Params = { ...before, capacityChallengesPerEpoch: 3, capacityChallengeBond: '7000000', validatorShareBps: 2500, maxEmissionPerFeeBps: 4000 };
    const r = await rc.ok('author', update(rc, 'author', next));
    expect(r.events.some((e) => e.type === 'emission_update_params')).toBe(true);
    expect(await params(rc)).toEqual(next);
  });

  it.each<[string, Role, (p: Params) => Params, { code: number; codespace: string }, RegExp]>([
    ['a signer that is not the authority', 'payer', (p) => p, { code: 3, codespace: 'emission' }, /expected cairn1.*, got cairn1/],
    ['a schedule that would mint past the cap', 'author', (p) => ({ ...p, year0Budget: p.maxSupply }), { code: 2, codespace: 'emission' }, /the schedule would mint \d+, more than max_supply/],
    ['weights that do not sum to 10000', 'author', (p) => ({ ...p, usageWeightBps: 5000 }), { code: 2, codespace: 'emission' }, /weights sum to 9000, not 10000/],
    ['a bps above 10000', 'author', (p) => ({ ...p, challengerRewardBps: 10_001 }), { code: 2, codespace: 'emission' }, /challenger_reward_bps 10001 must be an integer between 0 and 10000/],
    ['another denom', 'author', (p) => ({ ...p, denom: 'uother' }), { code: 2, codespace: 'emission' }, /the denom is ucairn and cannot change/],
    ['a cap below the current supply', 'author', (p) => ({ ...p, maxSupply: '1000', year0Budget: '100' }), { code: 2, codespace: 'emission' }, /max_supply 1000 is below the current supply/],
  ])('refuses %s with a clear error and changes nothing', async (_what, by, change, code, log) => {
    const rc = await chain();
    const before = await params(rc);
    await rc.expectRefused(by, update(rc, by, change(before)), code, log);
    expect(await params(rc)).toEqual(before);
  });
});
