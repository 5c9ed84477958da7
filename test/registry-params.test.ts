// Params live in genesis and change only through MsgUpdateParams signed by params.authority.
import { describe, expect, it } from 'vitest';
import * as E from '../modules/registry/errors.ts';
import { moduleAddress } from '../core/framework/address.ts';
import { QueryOperatorsRequest, QueryOperatorsResponse, QueryParamsRequest, QueryParamsResponse } from '../proto/gen/cairn/registry/v1/query.ts';
import type { Params } from '../proto/gen/cairn/registry/v1/types.ts';
import { MIN_BOND, RegistryChain, msgs } from './support/registry.ts';
import { testWallet } from './support/wallets.ts';

async function params(rc: RegistryChain): Promise<Params> {
  return (await rc.query('Params', QueryParamsRequest, QueryParamsResponse, {})).params!;
}

async function governed(): Promise<RegistryChain> {
  return RegistryChain.start({ params: { authority: (await testWallet(3)).address } });
}

describe('registry params', () => {
  it('default to the gov module account as the authority', async () => {
    const rc = await RegistryChain.start();
    const p = await params(rc);
    expect(p.authority).toBe(rc.chain.app.addresses.encode(moduleAddress('gov')));
    expect(p).toMatchObject({ minOperatorBond: { denom: 'ucairn', amount: MIN_BOND.toString() }, maxRoyaltyBps: 2000, maxEndpoints: 4, priceDenom: 'ucairn' });
  });

  it('are replaced by MsgUpdateParams from the authority, and the new limits apply at once', async () => {
    const rc = await governed();
    const [op, gov] = [rc.wallets[0]!, rc.wallets[3]!];
    await rc.ok(op, msgs.registerOperator(op.address, 1));
    const next: Params = { ...(await params(rc)), minOperatorBond: { denom: 'ucairn', amount: (MIN_BOND * 2n).toString() }, maxRoyaltyBps: 3000 };
    const r = await rc.ok(gov, msgs.updateParams(gov.address, next));
    expect(r.events.some((e) => e.type === 'update_params')).toBe(true);
    expect(await params(rc)).toEqual(next);
    // the registered operator's bond is now below the minimum: it leaves the catalog until it adds more
    const catalog = await rc.query('Operators', QueryOperatorsRequest, QueryOperatorsResponse, QueryOperatorsRequest.fromPartial({}));
    expect(catalog.operators).toEqual([]);
    await rc.ok(op, msgs.addBond(op.address, MIN_BOND));
    expect((await rc.query('Operators', QueryOperatorsRequest, QueryOperatorsResponse, QueryOperatorsRequest.fromPartial({}))).operators).toHaveLength(1);
  });

  it('refuse an update from anyone but the authority', async () => {
    const rc = await governed();
    const other = rc.wallets[0]!;
    await rc.expectRefused(other, msgs.updateParams(other.address, { ...(await params(rc)), maxRoyaltyBps: 10_000 }), E.ErrUnauthorized, `expected ${rc.wallets[3]!.address}`);
  });

  it('refuse invalid values before the block', async () => {
    const rc = await governed();
    const gov = rc.wallets[3]!;
    const p = await params(rc);
    const bad: [Partial<Params>, string][] = [
      [{ maxRoyaltyBps: 10_001 }, 'max_royalty_bps'],
      [{ minOperatorBond: { denom: 'ucairn', amount: '0' } }, 'min_operator_bond'],
      [{ minOperatorBond: undefined }, 'min_operator_bond'],
      [{ trustedVerifiers: [new Uint8Array(31)] }, 'trusted_verifiers[0] has 31 bytes'],
      [{ trustedVerifiers: [new Uint8Array(32), new Uint8Array(32)] }, 'listed twice'],
      [{ operatorUnbondingBlocks: 0n }, 'operator_unbonding_blocks'],
      [{ maxEndpoints: 0 }, 'max_endpoints'],
      [{ maxGpusPerOperator: 5000 }, 'max_gpus_per_operator'],
      [{ authority: 'cosmos1xyz' }, 'authority'],
      [{ priceDenom: '' }, 'price_denom'],
      [{ maxAttestationValiditySeconds: 0n }, 'max_attestation_validity_seconds'],
    ];
    for (const [change, log] of bad) await rc.expectRefused(gov, msgs.updateParams(gov.address, { ...p, ...change }), E.ErrInvalidParams, log);
    await rc.expectRefused(gov, msgs.updateParams(gov.address, undefined), E.ErrInvalidParams, 'params are missing');
  });

  it('never change the bond denom or the price denom', async () => {
    const rc = await governed();
    const gov = rc.wallets[3]!;
    const p = await params(rc);
    await rc.expectRefused(gov, msgs.updateParams(gov.address, { ...p, minOperatorBond: { denom: 'uatom', amount: '5' } }), E.ErrInvalidParams, 'bond denom is ucairn and cannot change');
    await rc.expectRefused(gov, msgs.updateParams(gov.address, { ...p, priceDenom: 'uusdc' }), E.ErrInvalidParams, 'price denom is ucairn');
  });

  it('can hand the authority to another account', async () => {
    const rc = await governed();
    const [gov, next] = [rc.wallets[3]!, rc.wallets[2]!];
    await rc.ok(gov, msgs.updateParams(gov.address, { ...(await params(rc)), authority: next.address }));
    await rc.expectRefused(gov, msgs.updateParams(gov.address, await params(rc)), E.ErrUnauthorized);
    await rc.ok(next, msgs.updateParams(next.address, { ...(await params(rc)), maxEvals: 1 }));
  });
});
