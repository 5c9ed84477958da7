// cairn tx gov submit-proposal | deposit | vote | weighted-vote (cosmos.gov.v1 messages)
import { readFile } from 'node:fs/promises';
import { VoteOption, type WeightedVoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { arg, stringFlag, type CommandContext } from '../../context.ts';
import { type Coin, parseCoins } from '../../amount.ts';
import { UsageError } from '../../errors.ts';
import { govMsgs } from '../../../sdk/gov/messages.ts';
import { sendTx } from '../staking/client.ts';
import { parseProposalFile } from './proposal-file.ts';

export const OPTIONS: Readonly<Record<string, VoteOption>> = {
  yes: VoteOption.VOTE_OPTION_YES,
  abstain: VoteOption.VOTE_OPTION_ABSTAIN,
  no: VoteOption.VOTE_OPTION_NO,
  no_with_veto: VoteOption.VOTE_OPTION_NO_WITH_VETO,
};

const wire = (coins: readonly Coin[]): { denom: string; amount: string }[] => coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));

export function proposalIdArg(text: string): bigint {
  if (!/^[1-9][0-9]{0,18}$/.test(text)) throw new UsageError(`"${text}" is not a proposal id (a positive whole number; \`cairn query gov proposals\` lists them)`);
  return BigInt(text);
}

function option(text: string): VoteOption {
  const o = OPTIONS[text.toLowerCase()];
  if (o === undefined) throw new UsageError(`"${text}" is not a vote option: use yes, no, abstain or no_with_veto`);
  return o;
}

export async function submitProposal(ctx: CommandContext): Promise<void> {
  const file = arg(ctx, 1);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const p = parseProposalFile(text, file);
  await sendTx(ctx, (sender) => [
    govMsgs.MsgSubmitProposal({ messages: p.messages, initialDeposit: wire(p.deposit), proposer: sender, metadata: p.metadata, title: p.title, summary: p.summary, expedited: p.expedited }),
  ]);
}

export async function deposit(ctx: CommandContext): Promise<void> {
  const proposalId = proposalIdArg(arg(ctx, 1));
  const amount = wire(parseCoins(arg(ctx, 2), { what: 'deposit' }));
  await sendTx(ctx, (sender) => [govMsgs.MsgDeposit({ proposalId, depositor: sender, amount })]);
}

export async function vote(ctx: CommandContext): Promise<void> {
  const proposalId = proposalIdArg(arg(ctx, 1));
  const o = option(arg(ctx, 2));
  await sendTx(ctx, (sender) => [govMsgs.MsgVote({ proposalId, voter: sender, option: o, metadata: stringFlag(ctx, 'metadata') ?? '' })]);
}

/** "yes=0.6,no=0.4" → weighted options (the chain checks that they sum to 1). */
export function parseWeightedOptions(text: string): WeightedVoteOption[] {
  return text.split(',').map((part) => {
    const m = /^([a-z_]+)=([0-9]+(?:\.[0-9]{1,18})?)$/i.exec(part.trim());
    if (m === null) throw new UsageError(`"${part}" is not option=weight, e.g. yes=0.6,no=0.4`);
    return { option: option(m[1]!), weight: m[2]! };
  });
}

export async function weightedVote(ctx: CommandContext): Promise<void> {
  const proposalId = proposalIdArg(arg(ctx, 1));
  const options = parseWeightedOptions(arg(ctx, 2));
  await sendTx(ctx, (sender) => [govMsgs.MsgVoteWeighted({ proposalId, voter: sender, options, metadata: stringFlag(ctx, 'metadata') ?? '' })]);
}
