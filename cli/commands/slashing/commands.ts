// The `cairn tx slashing …` and `cairn query slashing …` command trees, plugged into table.ts.
import type { OptionSpecs } from '../../context.ts';
import { type CommandGroup, cmd, from } from '../spec.ts';

const tx = () => import('./tx.ts');
const query = () => import('./queries.ts');

export function slashingTxCommands(feeOptions: OptionSpecs): CommandGroup {
  return {
    kind: 'group',
    name: 'slashing',
    summary: 'getting a jailed validator back',
    children: [
      cmd('unjail', "return the signer's validator to the set after its downtime jail", async () => (await tx()).unjail, {
        args: [from],
        options: feeOptions,
        examples: ['cairn tx slashing unjail op --gas auto --gas-prices 0.025ucairn'],
      }),
    ],
  };
}

export const slashingQueryCommands: CommandGroup = {
  kind: 'group',
  name: 'slashing',
  summary: 'signing records, jail and tombstones',
  children: [
    cmd('signing-info', 'missed blocks and jail of a validator (by cairnvalcons1… or cairnvaloper1…)', async () => (await query()).signingInfo, {
      args: [{ name: 'address', description: 'cairnvalcons1… or cairnvaloper1…' }],
      examples: ['cairn query slashing signing-info cairnvaloper1…'],
    }),
    cmd('signing-infos', 'the signing records of every validator', async () => (await query()).signingInfos, { examples: ['cairn query slashing signing-infos'] }),
    cmd('params', 'the slashing parameters', async () => (await query()).params, { examples: ['cairn query slashing params'] }),
  ],
};
