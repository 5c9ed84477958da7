// The `cairn query emission …` and `cairn tx emission …` command trees, plugged into table.ts.
import type { ArgSpec, OptionSpecs } from '../../context.ts';
import { type CommandGroup, cmd } from '../spec.ts';

const query = () => import('./queries.ts');
const tx = () => import('./tx.ts');
const from: ArgSpec = { name: 'from-key', description: 'name (or address) of the signing key' };
const operator = { name: 'operator', description: 'operator address, cairn1…' };
const epoch = { name: 'epoch', description: 'epoch number' };

export const emissionQueryCommands: CommandGroup = {
  kind: 'group',
  name: 'emission',
  summary: 'supply, epoch budgets, halvings, rewards, points, reputation, roots and capacity challenges',
  children: [
    cmd('status', 'current epoch, its budget, minted so far, remaining cap and the next halving', async () => (await query()).status, { examples: ['cairn query emission status'] }),
    cmd('params', 'the emission params', async () => (await query()).params, { examples: ['cairn query emission params --output json'] }),
    cmd('budget', "an epoch's scheduled budget, year and era", async () => (await query()).budget, { args: [epoch], examples: ['cairn query emission budget 17520'] }),
    cmd('epoch', 'what an ended epoch minted, with every operator reward', async () => (await query()).epoch, { args: [epoch], examples: ['cairn query emission epoch 12'] }),
    cmd('rewards', "an operator's rewards by epoch", async () => (await query()).rewards, { args: [operator], examples: ['cairn query emission rewards cairn1…'] }),
    cmd('points', "an operator's points (not transferable)", async () => (await query()).points, { args: [operator], examples: ['cairn query emission points cairn1…'] }),
    cmd('reputation', "an operator's reputation and its inputs", async () => (await query()).reputation, { args: [operator], examples: ['cairn query emission reputation cairn1…'] }),
    cmd('challenge', 'one capacity challenge: GPU, deadline, status, challenger and bond', async () => (await query()).challenge, { args: [{ name: 'challenge-id', description: 'challenge id' }], examples: ['cairn query emission challenge 7'] }),
    cmd('challenges', "an operator's open capacity challenges (what to prove, and by when)", async () => (await query()).challenges, { args: [operator], examples: ['cairn query emission challenges cairn1…'] }),
    cmd('roots', "an epoch's reputation, receipts and royalty roots (and the store key to prove the first)", async () => (await query()).roots, { args: [epoch], examples: ['cairn query emission roots 12'] }),
  ],
};

export function emissionTxCommands(feeOptions: OptionSpecs): CommandGroup {
  return {
    kind: 'group',
    name: 'emission',
    summary: 'availability reports and capacity challenges',
    children: [
      cmd('report-availability', "report operators' uptime for the current epoch (bonded validators)", async () => (await tx()).reportAvailability, {
        args: [from, { ...epoch, description: 'the current epoch (`cairn query emission status`)' }, { name: 'reports', description: '<operator>=<uptime_bps>[,<operator>=<uptime_bps>…], uptime 0-10000' }],
        description: 'Signed by a validator operator account. A later report in the same epoch replaces your earlier figure for each operator it names.',
        options: feeOptions,
        examples: ['cairn tx emission report-availability val1 42 cairn1…=9950,cairn1…=10000 --fees 5000ucairn'],
      }),
      cmd('set-reporter', 'let another account (your node’s watcher key) sign availability reports for your validator', async () => (await tx()).setReporter, {
        args: [from, { name: 'reporter', description: 'the reporter’s address, cairn1… (`none` removes it)' }],
        description:
          'Signed by the validator operator account. Your node then reports operators’ uptime every epoch with its watcher key ([availability] in app.toml), and your own key stays offline.',
        options: feeOptions,
        examples: ['cairn tx emission set-reporter val1 cairn1… --fees 5000ucairn', 'cairn tx emission set-reporter val1 none --fees 5000ucairn'],
      }),
      cmd('challenge-capacity', "challenge an operator's committed GPU, paying the capacity challenge bond", async () => (await tx()).challengeCapacity, {
        args: [from, operator, { name: 'gpu-id', description: 'the GPU commitment id' }],
        description: 'If the operator proves the GPU within capacity_window blocks the bond is its; if not, you get the bond back and a share of the slash.',
        options: feeOptions,
        examples: ['cairn tx emission challenge-capacity alice cairn1… h100-a --fees 5000ucairn'],
      }),
      cmd('prove-capacity', "answer a capacity challenge with a trusted verifier's signed benchmark", async () => (await tx()).proveCapacity, {
        args: [from, { name: 'challenge-id', description: 'from the capacity_challenge event' }, { name: 'measured-count', description: 'GPUs the benchmark measured (at least the committed count)' }],
        options: {
          verifier: { type: 'string', valueName: 'hex', description: "the verifier's ed25519 public key (32 bytes; one of the registry's trusted verifiers)" },
          signature: { type: 'string', valueName: 'hex', description: "the verifier's signature over the capacity sign bytes (64 bytes)" },
          ...feeOptions,
        },
        examples: ['cairn tx emission prove-capacity ops 7 8 --verifier 3b6a… --signature 9f1c… --fees 5000ucairn'],
      }),
    ],
  };
}
