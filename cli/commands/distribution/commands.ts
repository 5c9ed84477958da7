// The `cairn tx distribution …` and `cairn query distribution …` command trees, plugged into table.ts.
import type { OptionSpecs } from '../../context.ts';
import { type CommandGroup, cmd, delegatorArg, from, validatorArg } from '../spec.ts';

const tx = () => import('./tx.ts');
const query = () => import('./queries.ts');

export function distributionTxCommands(feeOptions: OptionSpecs): CommandGroup {
  return {
    kind: 'group',
    name: 'distribution',
    summary: 'staking rewards and commission',
    children: [
      cmd('withdraw-rewards', 'collect the rewards of a delegation (and, with --commission, your validator commission)', async () => (await tx()).withdrawRewards, {
        args: [from, validatorArg],
        options: { commission: { type: 'boolean', description: "also withdraw the commission of the signer's own validator" }, ...feeOptions },
        examples: ['cairn tx distribution withdraw-rewards alice cairnvaloper1… --gas auto --gas-prices 0.025ucairn', 'cairn tx distribution withdraw-rewards op cairnvaloper1… --commission'],
      }),
      cmd('withdraw-all-rewards', 'collect the rewards of every delegation of a key', async () => (await tx()).withdrawAllRewards, {
        args: [from],
        options: feeOptions,
        examples: ['cairn tx distribution withdraw-all-rewards alice --gas auto --gas-prices 0.025ucairn'],
      }),
      cmd('set-withdraw-address', 'have rewards paid to another address', async () => (await tx()).setWithdrawAddress, {
        args: [from, { name: 'withdraw-address', description: 'cairn1…' }],
        options: feeOptions,
        examples: ['cairn tx distribution set-withdraw-address alice cairn1…'],
      }),
    ],
  };
}

export const distributionQueryCommands: CommandGroup = {
  kind: 'group',
  name: 'distribution',
  summary: 'rewards, commission, community pool',
  children: [
    cmd('rewards', 'pending rewards of a delegator (from every validator, or --validator)', async () => (await query()).rewards, {
      args: [delegatorArg],
      options: { validator: { type: 'string', valueName: 'cairnvaloper1…', description: 'only the rewards from this validator' } },
      examples: ['cairn query distribution rewards cairn1…', 'cairn query distribution rewards cairn1… --validator cairnvaloper1…'],
    }),
    cmd('commission', "a validator's accumulated commission", async () => (await query()).commission, { args: [validatorArg], examples: ['cairn query distribution commission cairnvaloper1…'] }),
    cmd('community-pool', 'the community pool (fee remainders and taxes)', async () => (await query()).communityPool, { examples: ['cairn query distribution community-pool'] }),
    cmd('params', 'the distribution parameters', async () => (await query()).params, { examples: ['cairn query distribution params'] }),
  ],
};
