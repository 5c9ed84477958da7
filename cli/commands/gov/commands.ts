// The `cairn tx gov …` and `cairn query gov …` command trees, plugged into table.ts.
import type { OptionSpecs } from '../../context.ts';
import { type CommandGroup, cmd, from } from '../spec.ts';

const tx = () => import('./tx.ts');
const query = () => import('./queries.ts');
const proposalId = { name: 'proposal-id', description: 'the proposal number (see `cairn query gov proposals`)' };
const metadata: OptionSpecs = { metadata: { type: 'string', valueName: 'text', description: "the vote's metadata (e.g. a link to its reasons), up to 255 characters" } };

export function govTxCommands(feeOptions: OptionSpecs): CommandGroup {
  return {
    kind: 'group',
    name: 'gov',
    summary: 'proposals, deposits and votes',
    children: [
      cmd('submit-proposal', 'submit a proposal from a JSON file (messages, title, summary, metadata, deposit)', async () => (await tx()).submitProposal, {
        args: [from, { name: 'file', description: 'proposal.json: {"messages":[{"@type":"/…", …}], "title", "summary", "metadata", "deposit": "10000000ucairn"}' }],
        options: feeOptions,
        description:
          'Each message is proto JSON with its type URL in "@type" and must be signed by the gov module account\n' +
          '(e.g. a MsgUpdateParams whose authority is that account: `cairn query gov params` shows it). If the\n' +
          'proposal passes, its messages run as the gov account, all or nothing.',
        examples: ['cairn tx gov submit-proposal alice proposal.json --gas auto --gas-prices 0.025ucairn'],
      }),
      cmd('deposit', 'add to the deposit of a proposal (it is voted on once min_deposit is reached)', async () => (await tx()).deposit, {
        args: [from, proposalId, { name: 'amount', description: 'e.g. 10000000ucairn' }],
        options: feeOptions,
        examples: ['cairn tx gov deposit alice 1 10000000ucairn --gas auto --gas-prices 0.025ucairn'],
      }),
      cmd('vote', 'vote yes, no, abstain or no_with_veto on a proposal in its voting period', async () => (await tx()).vote, {
        args: [from, proposalId, { name: 'option', description: 'yes, no, abstain or no_with_veto' }],
        options: { ...metadata, ...feeOptions },
        examples: ['cairn tx gov vote validator 1 yes --gas auto --gas-prices 0.025ucairn'],
      }),
      cmd('weighted-vote', 'split your voting power over several options (weights summing to 1)', async () => (await tx()).weightedVote, {
        args: [from, proposalId, { name: 'options', description: 'option=weight list, e.g. yes=0.6,no=0.4' }],
        options: { ...metadata, ...feeOptions },
        examples: ['cairn tx gov weighted-vote alice 1 yes=0.6,no=0.4 --gas auto --gas-prices 0.025ucairn'],
      }),
    ],
  };
}

export const govQueryCommands: CommandGroup = {
  kind: 'group',
  name: 'gov',
  summary: 'proposals, votes, deposits, tallies and params',
  children: [
    cmd('proposals', 'list proposals (filter with --status, --voter, --depositor)', async () => (await query()).proposals, {
      options: {
        status: { type: 'string', valueName: 'status', description: 'deposit, voting, passed, rejected or failed' },
        voter: { type: 'string', valueName: 'address', description: 'only proposals this address voted on' },
        depositor: { type: 'string', valueName: 'address', description: 'only proposals this address deposited on' },
      },
      examples: ['cairn query gov proposals', 'cairn query gov proposals --status voting --output json'],
    }),
    cmd('proposal', 'one proposal: messages, deposit, periods, final tally, failure reason', async () => (await query()).proposal, { args: [proposalId], examples: ['cairn query gov proposal 1'] }),
    cmd('votes', 'the votes on a proposal in its voting period', async () => (await query()).votes, { args: [proposalId], examples: ['cairn query gov votes 1'] }),
    cmd('deposits', 'the deposits on an open proposal', async () => (await query()).deposits, { args: [proposalId], examples: ['cairn query gov deposits 1'] }),
    cmd('tally', 'the tally so far (during voting) or the final one', async () => (await query()).tally, { args: [proposalId], examples: ['cairn query gov tally 1'] }),
    cmd('params', 'the gov parameters', async () => (await query()).params, { examples: ['cairn query gov params'] }),
  ],
};
