// cairn query gov proposals | proposal | votes | deposits | tally | params (cosmos.gov.v1 queries)
import { createProtobufRpcClient, QueryClient } from '@cosmjs/stargate';
import { ProposalStatus, proposalStatusToJSON, type Proposal, type TallyResult, voteOptionToJSON } from 'cosmjs-types/cosmos/gov/v1/gov';
import { QueryClientImpl } from 'cosmjs-types/cosmos/gov/v1/query';
import { arg, stringFlag, type CommandContext } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { withNode } from '../../node-client.ts';
import { fields, table } from '../../output.ts';
import { proposalIdArg } from './tx.ts';
import { AddressCodec, moduleAddress } from '../../../core/framework/address.ts';

function withGov<T>(ctx: CommandContext, fn: (q: QueryClientImpl) => Promise<T>): Promise<T> {
  return withNode(ctx.global.node, (c) => fn(new QueryClientImpl(createProtobufRpcClient(new QueryClient(c.comet)))));
}

const STATUSES: Readonly<Record<string, ProposalStatus>> = {
  deposit: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD,
  voting: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD,
  passed: ProposalStatus.PROPOSAL_STATUS_PASSED,
  rejected: ProposalStatus.PROPOSAL_STATUS_REJECTED,
  failed: ProposalStatus.PROPOSAL_STATUS_FAILED,
};

const status = (s: ProposalStatus): string => proposalStatusToJSON(s).replace('PROPOSAL_STATUS_', '').toLowerCase();
const coins = (list: readonly { denom: string; amount: string }[]): string => (list.length === 0 ? '0' : list.map((c) => `${c.amount}${c.denom}`).join(','));
const time = (t: { seconds: bigint } | undefined): string => (t === undefined ? '' : new Date(Number(t.seconds) * 1000).toISOString());
const tallyRows = (t: TallyResult | undefined): [string, string][] => [
  ['yes', t?.yesCount ?? '0'],
  ['no', t?.noCount ?? '0'],
  ['no with veto', t?.noWithVetoCount ?? '0'],
  ['abstain', t?.abstainCount ?? '0'],
];

export async function proposals(ctx: CommandContext): Promise<void> {
  const wanted = stringFlag(ctx, 'status');
  const proposalStatus = wanted === undefined ? ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED : STATUSES[wanted];
  if (proposalStatus === undefined) throw new UsageError(`--status "${wanted}" must be one of ${Object.keys(STATUSES).join(', ')}`);
  const r = await withGov(ctx, (q) => q.Proposals({ proposalStatus, voter: stringFlag(ctx, 'voter') ?? '', depositor: stringFlag(ctx, 'depositor') ?? '' }));
  ctx.print({
    json: r,
    text: () => (r.proposals.length === 0 ? 'no proposals' : table(['id', 'status', 'title', 'deposit', 'ends'], r.proposals.map((p) => [p.id.toString(), status(p.status), p.title, coins(p.totalDeposit), time(p.votingEndTime ?? p.depositEndTime)]))),
  });
}

function proposalRows(p: Proposal): [string, string][] {
  return [
    ['id', p.id.toString()],
    ['title', p.title],
    ['summary', p.summary],
    ['status', status(p.status)],
    ['proposer', p.proposer],
    ['messages', p.messages.map((m) => m.typeUrl).join(', ') || '(none)'],
    ['total deposit', coins(p.totalDeposit)],
    ['deposit ends', time(p.depositEndTime)],
    ['voting starts', time(p.votingStartTime)],
    ['voting ends', time(p.votingEndTime)],
    ...tallyRows(p.finalTallyResult).map(([k, v]): [string, string] => [`final ${k}`, v]),
    ...(p.failedReason === '' ? [] : [['failed reason', p.failedReason] as [string, string]]),
  ];
}

export async function proposal(ctx: CommandContext): Promise<void> {
  const proposalId = proposalIdArg(arg(ctx, 0));
  const r = await withGov(ctx, (q) => q.Proposal({ proposalId }));
  ctx.print({ json: r.proposal, text: () => fields(proposalRows(r.proposal!)) });
}

export async function votes(ctx: CommandContext): Promise<void> {
  const proposalId = proposalIdArg(arg(ctx, 0));
  const r = await withGov(ctx, (q) => q.Votes({ proposalId }));
  const options = (v: (typeof r.votes)[number]): string => v.options.map((o) => `${voteOptionToJSON(o.option).replace('VOTE_OPTION_', '').toLowerCase()}=${o.weight.replace(/\.?0+$/, '')}`).join(',');
  ctx.print({ json: r, text: () => (r.votes.length === 0 ? 'no votes (votes are deleted once the proposal is tallied)' : table(['voter', 'options'], r.votes.map((v) => [v.voter, options(v)]))) });
}

export async function deposits(ctx: CommandContext): Promise<void> {
  const proposalId = proposalIdArg(arg(ctx, 0));
  const r = await withGov(ctx, (q) => q.Deposits({ proposalId }));
  ctx.print({ json: r, text: () => (r.deposits.length === 0 ? 'no deposits (they are paid back or burned when the proposal ends)' : table(['depositor', 'amount'], r.deposits.map((d) => [d.depositor, coins(d.amount)]))) });
}

export async function tally(ctx: CommandContext): Promise<void> {
  const proposalId = proposalIdArg(arg(ctx, 0));
  const r = await withGov(ctx, (q) => q.TallyResult({ proposalId }));
  ctx.print({ json: r.tally, text: () => fields(tallyRows(r.tally)) });
}

export async function params(ctx: CommandContext): Promise<void> {
  const r = await withGov(ctx, (q) => q.Params({ paramsType: '' }));
  const p = r.params!;
  const dur = (d: { seconds: bigint } | undefined): string => `${d?.seconds ?? 0n}s`;
  ctx.print({
    json: p,
    text: () =>
      fields([
        ['gov account', new AddressCodec('cairn').encode(moduleAddress('gov'))],
        ['min deposit', coins(p.minDeposit)],
        ['max deposit period', dur(p.maxDepositPeriod)],
        ['voting period', dur(p.votingPeriod)],
        ['quorum', p.quorum],
        ['threshold', p.threshold],
        ['veto threshold', p.vetoThreshold],
        ['min initial deposit ratio', p.minInitialDepositRatio],
        ['min deposit ratio', p.minDepositRatio],
        ['burn deposits on veto', String(p.burnVoteVeto)],
        ['burn deposits on missed quorum', String(p.burnVoteQuorum)],
        ['burn deposits never voted on', String(p.burnProposalDepositPrevote)],
      ]),
  });
}
