// cairn query distribution rewards | commission | community-pool | params
import { arg, stringFlag, type CommandContext } from '../../context.ts';
import { checkAddress } from '../../node-client.ts';
import { fields, table } from '../../output.ts';
import { dec, decCoins, valoperArg, withQueries } from '../staking/client.ts';

export async function rewards(ctx: CommandContext): Promise<void> {
  const delegator = checkAddress(arg(ctx, 0), 'delegator');
  const validator = stringFlag(ctx, 'validator');
  if (validator !== undefined) {
    const address = valoperArg(validator);
    const r = await withQueries(ctx, (q) => q.distribution.delegationRewards(delegator, address));
    ctx.print({ json: r, text: () => fields([['validator', address], ['rewards', decCoins(r.rewards)]]) });
    return;
  }
  const r = await withQueries(ctx, (q) => q.distribution.delegationTotalRewards(delegator));
  ctx.print({ json: r, text: () => table(['validator', 'rewards'], r.rewards.map((x) => [x.validatorAddress, decCoins(x.reward)])) + `\n\ntotal: ${decCoins(r.total)}` });
}

export async function commission(ctx: CommandContext): Promise<void> {
  const address = valoperArg(arg(ctx, 0));
  const r = await withQueries(ctx, (q) => q.distribution.validatorCommission(address));
  ctx.print({ json: r, text: () => fields([['validator', address], ['commission', decCoins(r.commission?.commission ?? [])]]) });
}

export async function communityPool(ctx: CommandContext): Promise<void> {
  const r = await withQueries(ctx, (q) => q.distribution.communityPool());
  ctx.print({ json: r, text: () => fields([['community pool', decCoins(r.pool)]]) });
}

export async function params(ctx: CommandContext): Promise<void> {
  const p = await withQueries(ctx, async (q) => (await q.distribution.params()).params);
  ctx.print({ json: p, text: () => fields([['community tax', dec(p.communityTax)], ['withdraw address changes', p.withdrawAddrEnabled ? 'enabled' : 'disabled']]) });
}
