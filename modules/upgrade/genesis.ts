// upgrade genesis: `{}` on a new chain (as the SDK's); an export carries the scheduled plan and the
// applied ones, so an imported chain neither forgets a pending upgrade nor runs an applied name again.
import type { Plan } from 'cosmjs-types/cosmos/upgrade/v1beta1/upgrade';
import { GenesisError, array, object, optional, string, uint } from '../../core/framework/json.ts';
import type { GenesisHandlers } from '../../core/framework/module.ts';
import * as keys from './keys.ts';

export interface UpgradeGenesis {
  readonly plan: Plan | undefined;
  readonly applied: readonly { name: string; height: bigint }[];
}

export function upgradeGenesis(): GenesisHandlers<UpgradeGenesis> {
  return {
    defaultGenesis: () => ({}),

    validate(json) {
      const g = object(json, 'upgrade');
      for (const k of Object.keys(g)) if (k !== 'plan' && k !== 'applied') throw new GenesisError(`upgrade.${k}: unknown field (the section holds "plan" and "applied")`);
      const named = (v: unknown, path: string): { name: string; height: bigint } => {
        const o = object(v, path);
        const name = string(o['name'], `${path}.name`);
        if (name === '') throw new GenesisError(`${path}.name must not be empty`);
        const height = uint(o['height'], `${path}.height`);
        if (height === 0n) throw new GenesisError(`${path}.height must be greater than 0`);
        return { name, height };
      };
      const plan = g['plan'] === undefined || g['plan'] === null ? undefined : { ...named(g['plan'], 'upgrade.plan'), info: optional(object(g['plan'], 'upgrade.plan')['info'], '', (v) => string(v, 'upgrade.plan.info')), time: { seconds: 0n, nanos: 0 } };
      const applied = optional(g['applied'], [], (v) => array(v, 'upgrade.applied')).map((a, i) => named(a, `upgrade.applied[${i}]`));
      if (new Set(applied.map((a) => a.name)).size !== applied.length) throw new GenesisError('upgrade.applied names a plan twice');
      if (plan !== undefined && applied.some((a) => a.name === plan.name)) throw new GenesisError(`upgrade.plan "${plan.name}" is already applied`);
      return { plan, applied };
    },

    async init(g, ctx) {
      if (g.plan !== undefined) keys.plan.set(ctx.store, g.plan);
      for (const a of g.applied) keys.done.set(ctx.store, a.name, a.height);
    },

    async export(ctx) {
      const plan = await keys.plan.get(ctx.store);
      const applied: { name: string; height: string }[] = [];
      for await (const [name, height] of keys.done.entries(ctx.store)) applied.push({ name, height: String(height) });
      return { ...(plan === undefined ? {} : { plan: { name: plan.name, height: String(plan.height), info: plan.info } }), applied };
    },
  };
}
