// The `cairn query upgrade …` and `cairn query consensus …` command trees, plugged into table.ts.
// Scheduling an upgrade or changing the consensus params is a gov proposal's message, not a command.
import { type CommandGroup, cmd } from '../spec.ts';

const query = () => import('./queries.ts');

export const upgradeQueryCommands: CommandGroup = {
  kind: 'group',
  name: 'upgrade',
  summary: 'scheduled and applied software upgrades',
  children: [
    cmd('plan', 'the scheduled upgrade plan: name, height, info', async () => (await query()).plan, { examples: ['cairn query upgrade plan'] }),
    cmd('applied', 'the height an upgrade plan was applied at', async () => (await query()).applied, {
      args: [{ name: 'name', description: 'the plan name' }],
      examples: ['cairn query upgrade applied v0.2.0'],
    }),
    cmd('module-versions', 'the consensus version of every module the chain runs', async () => (await query()).moduleVersions, { examples: ['cairn query upgrade module-versions'] }),
    cmd('authority', 'the account that may schedule upgrades (the gov module account)', async () => (await query()).authority, { examples: ['cairn query upgrade authority'] }),
  ],
};

export const consensusQueryCommands: CommandGroup = {
  kind: 'group',
  name: 'consensus',
  summary: "CometBFT's consensus params as the chain keeps them",
  children: [cmd('params', 'block size and gas limits, evidence age, validator key types', async () => (await query()).consensusParams, { examples: ['cairn query consensus params'] })],
};
