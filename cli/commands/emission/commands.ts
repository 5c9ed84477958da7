// The `cairn query emission …` command tree, plugged into table.ts.
import type { CommandGroup } from '../table.ts';
import { cmd } from '../staking/commands.ts';

const query = () => import('./queries.ts');
const operator = { name: 'operator', description: 'operator address, cairn1…' };
const epoch = { name: 'epoch', description: 'epoch number' };

export const emissionQueryCommands: CommandGroup = {
  kind: 'group',
  name: 'emission',
  summary: 'supply, epoch budgets, halvings, rewards, points, reputation and roots',
  children: [
    cmd('status', 'current epoch, its budget, minted so far, remaining cap and the next halving', async () => (await query()).status, { examples: ['cairn query emission status'] }),
    cmd('params', 'the emission params', async () => (await query()).params, { examples: ['cairn query emission params --output json'] }),
    cmd('budget', "an epoch's scheduled budget, year and era", async () => (await query()).budget, { args: [epoch], examples: ['cairn query emission budget 17520'] }),
    cmd('epoch', 'what an ended epoch minted, with every operator reward', async () => (await query()).epoch, { args: [epoch], examples: ['cairn query emission epoch 12'] }),
    cmd('rewards', "an operator's rewards by epoch", async () => (await query()).rewards, { args: [operator], examples: ['cairn query emission rewards cairn1…'] }),
    cmd('points', "an operator's points (not transferable)", async () => (await query()).points, { args: [operator], examples: ['cairn query emission points cairn1…'] }),
    cmd('reputation', "an operator's reputation and its inputs", async () => (await query()).reputation, { args: [operator], examples: ['cairn query emission reputation cairn1…'] }),
    cmd('roots', "an epoch's reputation, receipts and royalty roots (and the store key to prove the first)", async () => (await query()).roots, { args: [epoch], examples: ['cairn query emission roots 12'] }),
  ],
};
