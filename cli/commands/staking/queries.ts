// cairn query staking validators | validator | delegation | delegations | unbonding | redelegations | pool | params
import { BondStatus, type Validator } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { consensusKeyBytes } from '../../../modules/staking/addresses.ts';
import { arg, stringFlag, type CommandContext } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { checkAddress } from '../../node-client.ts';
import { fields, table } from '../../output.ts';
import { dec, tokens, valoperArg, withQueries } from './client.ts';

const STATUS: Record<string, string> = { bonded: 'BOND_STATUS_BONDED', unbonding: 'BOND_STATUS_UNBONDING', unbonded: 'BOND_STATUS_UNBONDED' };

function statusText(s: BondStatus): string {
  return s === BondStatus.BOND_STATUS_BONDED ? 'bonded' : s === BondStatus.BOND_STATUS_UNBONDING ? 'unbonding' : 'unbonded';
}

function validatorRow(v: Validator): string[] {
  return [v.description.moniker, v.operatorAddress, statusText(v.status) + (v.jailed ? ', jailed' : ''), tokens(v.tokens), dec(v.commission.commissionRates.rate)];
}

export async function validators(ctx: CommandContext): Promise<void> {
  const filter = stringFlag(ctx, 'status');
  if (filter !== undefined && STATUS[filter] === undefined) throw new UsageError('--status must be bonded, unbonding or unbonded');
  const list = await withQueries(ctx, async (q) => {
    const out: Validator[] = [];
    let key: Uint8Array | undefined;
    do {
      const r = await q.staking.validators((filter === undefined ? '' : STATUS[filter]!) as never, key);
      out.push(...r.validators);
      key = r.pagination?.nextKey !== undefined && r.pagination.nextKey.length > 0 ? r.pagination.nextKey : undefined;
    } while (key !== undefined);
    return out;
  });
  ctx.print({ json: { validators: list }, text: () => table(['moniker', 'operator', 'status', 'tokens', 'commission'], list.map(validatorRow)) });
}

export async function validator(ctx: CommandContext): Promise<void> {
  const address = valoperArg(arg(ctx, 0));
  const v = await withQueries(ctx, async (q) => (await q.staking.validator(address)).validator);
  ctx.print({
    json: v,
    text: () =>
      fields([
        ['moniker', v.description.moniker],
        ['operator', v.operatorAddress],
        ['status', statusText(v.status) + (v.jailed ? ', jailed' : '')],
        ['tokens', tokens(v.tokens)],
        ['delegator shares', dec(v.delegatorShares)],
        ['commission', `${dec(v.commission.commissionRates.rate)} (max ${dec(v.commission.commissionRates.maxRate)}, max change ${dec(v.commission.commissionRates.maxChangeRate)}/day)`],
        ['min self-delegation', v.minSelfDelegation],
        ['consensus key', v.consensusPubkey === undefined ? '' : Buffer.from(consensusKeyBytes(v.consensusPubkey)).toString('base64')],
      ]),
  });
}

export async function delegation(ctx: CommandContext): Promise<void> {
  const delegator = checkAddress(arg(ctx, 0), 'delegator');
  const address = valoperArg(arg(ctx, 1));
  const d = await withQueries(ctx, async (q) => (await q.staking.delegation(delegator, address)).delegationResponse);
  ctx.print({ json: d, text: () => fields([['delegator', delegator], ['validator', address], ['balance', tokens(d?.balance.amount ?? '0')], ['shares', dec(d?.delegation.shares ?? '')]]) });
}

export async function delegations(ctx: CommandContext): Promise<void> {
  const delegator = checkAddress(arg(ctx, 0), 'delegator');
  const r = await withQueries(ctx, (q) => q.staking.delegatorDelegations(delegator));
  ctx.print({ json: r, text: () => table(['validator', 'balance'], r.delegationResponses.map((d) => [d.delegation.validatorAddress, tokens(d.balance.amount)])) });
}

export async function unbonding(ctx: CommandContext): Promise<void> {
  const delegator = checkAddress(arg(ctx, 0), 'delegator');
  const r = await withQueries(ctx, (q) => q.staking.delegatorUnbondingDelegations(delegator));
  const rows = r.unbondingResponses.flatMap((u) => u.entries.map((e) => [u.validatorAddress, tokens(e.balance), e.creationHeight.toString(), new Date(Number(e.completionTime.seconds) * 1000).toISOString()]));
  ctx.print({ json: r, text: () => table(['validator', 'balance', 'started at height', 'completes about'], rows) });
}

export async function redelegations(ctx: CommandContext): Promise<void> {
  const delegator = checkAddress(arg(ctx, 0), 'delegator');
  const r = await withQueries(ctx, (q) => q.staking.redelegations(delegator, '', ''));
  const rows = r.redelegationResponses.flatMap((x) => x.entries.map((e) => [x.redelegation.validatorSrcAddress, x.redelegation.validatorDstAddress, tokens(e.balance), e.redelegationEntry.creationHeight.toString()]));
  ctx.print({ json: r, text: () => table(['from', 'to', 'balance', 'started at height'], rows) });
}

export async function pool(ctx: CommandContext): Promise<void> {
  const p = await withQueries(ctx, async (q) => (await q.staking.pool()).pool);
  ctx.print({ json: p, text: () => fields([['bonded', tokens(p.bondedTokens)], ['not bonded', tokens(p.notBondedTokens)]]) });
}

export async function params(ctx: CommandContext): Promise<void> {
  const p = await withQueries(ctx, async (q) => (await q.staking.params()).params);
  ctx.print({
    json: p,
    text: () =>
      fields([
        ['bond denom', p.bondDenom],
        ['max validators', String(p.maxValidators)],
        ['max entries', String(p.maxEntries)],
        ['min commission', dec(p.minCommissionRate)],
        ['unbonding time', `about ${p.unbondingTime.seconds} s (the period is counted in blocks)`],
      ]),
  });
}
