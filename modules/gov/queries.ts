// cosmos.gov.v1.Query and cosmos.gov.v1beta1.Query (the one CosmJS's setupGovExtension calls), over
// the same records. Error texts are the SDK's gRPC statuses.
import { ProposalStatus, type Proposal, type TallyResult } from 'cosmjs-types/cosmos/gov/v1/gov';
import { Deposit, Vote } from 'cosmjs-types/cosmos/gov/v1/gov';
import * as v1 from 'cosmjs-types/cosmos/gov/v1/query';
import * as v1beta1 from 'cosmjs-types/cosmos/gov/v1beta1/query';
import type { PageResponse } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import type { QueryContext } from '../../core/framework/context.ts';
import type { QueryHandler } from '../../core/framework/module.ts';
import { pageList } from '../../core/framework/page-list.ts';
import { paginate } from '../../core/framework/pagination.ts';
import { decodeAddressArg, invalidArgument, notFound } from '../../core/framework/query-args.ts';
import { concat, protoCodec, u64Key } from '../../core/framework/collections.ts';
import type { GovKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { legacyDeposit, legacyProposal, legacyTally, legacyTallyParams, legacyVote } from './legacy.ts';
import { EMPTY_TALLY, tally } from './tally.ts';

function proposalId(id: bigint): bigint {
  if (id === 0n) throw invalidArgument('proposal id can not be 0');
  return id;
}

async function proposal(ctx: QueryContext, id: bigint): Promise<Proposal> {
  const p = await keys.proposals.get(ctx.store, proposalId(id));
  if (p === undefined) throw notFound(`proposal ${id} doesn't exist`);
  return p;
}

async function proposals(ctx: QueryContext, req: v1.QueryProposalsRequest): Promise<{ items: Proposal[]; pagination: PageResponse }> {
  const voter = req.voter === '' ? undefined : decodeAddressArg(req.voter, ctx);
  const depositor = req.depositor === '' ? undefined : decodeAddressArg(req.depositor, ctx);
  const list: Proposal[] = [];
  for await (const [id, p] of keys.proposals.entries(ctx.store)) {
    if (req.proposalStatus !== ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED && p.status !== req.proposalStatus) continue;
    if (voter !== undefined && (await keys.votes.get(ctx.store, [id, voter])) === undefined) continue;
    if (depositor !== undefined && (await keys.deposits.get(ctx.store, [id, depositor])) === undefined) continue;
    list.push(p);
  }
  return pageList(list, req.pagination);
}

async function vote(ctx: QueryContext, id: bigint, voter: string): Promise<Vote> {
  proposalId(id);
  if (voter === '') throw invalidArgument('empty voter address');
  const v = await keys.votes.get(ctx.store, [id, decodeAddressArg(voter, ctx)]);
  if (v === undefined) throw invalidArgument(`voter: ${voter} not found for proposal: ${id}`);
  return v;
}

async function deposit(ctx: QueryContext, id: bigint, depositor: string): Promise<Deposit> {
  proposalId(id);
  if (depositor === '') throw invalidArgument('empty depositor address');
  const d = await keys.deposits.get(ctx.store, [id, decodeAddressArg(depositor, ctx)]);
  if (d === undefined) throw invalidArgument(`depositer: ${depositor} not found for proposal: ${id}`);
  return d;
}

async function tallyOf(k: GovKeeper, ctx: QueryContext, id: bigint): Promise<TallyResult> {
  const p = await keys.proposals.get(ctx.store, proposalId(id));
  if (p === undefined) throw notFound(`proposal-id: ${id}`);
  if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD) return EMPTY_TALLY;
  if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) return (await tally(ctx.store, k.staking, await k.params(ctx.store), p)).result;
  return p.finalTallyResult ?? EMPTY_TALLY;
}

const PARAM_TYPES = ['voting', 'tallying', 'deposit'];
const voteCodec = protoCodec(Vote);
const depositCodec = protoCodec(Deposit);

export function govQueries(k: GovKeeper): Record<string, QueryHandler> {
  const V1 = '/cosmos.gov.v1.Query';
  const LEGACY = '/cosmos.gov.v1beta1.Query';
  const votesPage = (ctx: QueryContext, id: bigint, page: v1.QueryVotesRequest['pagination']) =>
    paginate(ctx.store, concat(keys.votes.prefix, u64Key.encode(proposalId(id))), page, (_k, v) => voteCodec.decode(v));
  const depositsPage = (ctx: QueryContext, id: bigint, page: v1.QueryDepositsRequest['pagination']) =>
    paginate(ctx.store, concat(keys.deposits.prefix, u64Key.encode(proposalId(id))), page, (_k, v) => depositCodec.decode(v));
  return {
    [`${V1}/Constitution`]: async (_data, ctx) => v1.QueryConstitutionResponse.encode({ constitution: (await keys.constitution.get(ctx.store)) ?? '' }).finish(),
    [`${V1}/Proposal`]: async (data, ctx) => v1.QueryProposalResponse.encode({ proposal: await proposal(ctx, v1.QueryProposalRequest.decode(data).proposalId) }).finish(),
    [`${V1}/Proposals`]: async (data, ctx) => {
      const { items, pagination } = await proposals(ctx, v1.QueryProposalsRequest.decode(data));
      return v1.QueryProposalsResponse.encode({ proposals: items, pagination }).finish();
    },
    [`${V1}/Vote`]: async (data, ctx) => {
      const req = v1.QueryVoteRequest.decode(data);
      return v1.QueryVoteResponse.encode({ vote: await vote(ctx, req.proposalId, req.voter) }).finish();
    },
    [`${V1}/Votes`]: async (data, ctx) => {
      const req = v1.QueryVotesRequest.decode(data);
      const { items, pagination } = await votesPage(ctx, req.proposalId, req.pagination);
      return v1.QueryVotesResponse.encode({ votes: items, pagination }).finish();
    },
    [`${V1}/Params`]: async (data, ctx) => {
      const req = v1.QueryParamsRequest.decode(data);
      const params = await k.rawParams(ctx.store);
      if (req.paramsType !== '' && !PARAM_TYPES.includes(req.paramsType)) throw invalidArgument(`unknown params type: ${req.paramsType}`);
      return v1.QueryParamsResponse.encode({
        params,
        ...(req.paramsType === 'voting' ? { votingParams: { votingPeriod: params.votingPeriod! } } : {}),
        ...(req.paramsType === 'deposit' ? { depositParams: { minDeposit: params.minDeposit, maxDepositPeriod: params.maxDepositPeriod! } } : {}),
        ...(req.paramsType === 'tallying' ? { tallyParams: { quorum: params.quorum, threshold: params.threshold, vetoThreshold: params.vetoThreshold } } : {}),
      }).finish();
    },
    [`${V1}/Deposit`]: async (data, ctx) => {
      const req = v1.QueryDepositRequest.decode(data);
      return v1.QueryDepositResponse.encode({ deposit: await deposit(ctx, req.proposalId, req.depositor) }).finish();
    },
    [`${V1}/Deposits`]: async (data, ctx) => {
      const req = v1.QueryDepositsRequest.decode(data);
      const { items, pagination } = await depositsPage(ctx, req.proposalId, req.pagination);
      return v1.QueryDepositsResponse.encode({ deposits: items, pagination }).finish();
    },
    [`${V1}/TallyResult`]: async (data, ctx) => v1.QueryTallyResultResponse.encode({ tally: await tallyOf(k, ctx, v1.QueryTallyResultRequest.decode(data).proposalId) }).finish(),

    [`${LEGACY}/Proposal`]: async (data, ctx) => v1beta1.QueryProposalResponse.encode({ proposal: legacyProposal(await proposal(ctx, v1beta1.QueryProposalRequest.decode(data).proposalId)) }).finish(),
    [`${LEGACY}/Proposals`]: async (data, ctx) => {
      const { items, pagination } = await proposals(ctx, v1beta1.QueryProposalsRequest.decode(data));
      return v1beta1.QueryProposalsResponse.encode({ proposals: items.map(legacyProposal), pagination }).finish();
    },
    [`${LEGACY}/Vote`]: async (data, ctx) => {
      const req = v1beta1.QueryVoteRequest.decode(data);
      return v1beta1.QueryVoteResponse.encode({ vote: legacyVote(await vote(ctx, req.proposalId, req.voter)) }).finish();
    },
    [`${LEGACY}/Votes`]: async (data, ctx) => {
      const req = v1beta1.QueryVotesRequest.decode(data);
      const { items, pagination } = await votesPage(ctx, req.proposalId, req.pagination);
      return v1beta1.QueryVotesResponse.encode({ votes: items.map(legacyVote), pagination }).finish();
    },
    [`${LEGACY}/Params`]: async (data, ctx) => {
      const req = v1beta1.QueryParamsRequest.decode(data);
      if (!PARAM_TYPES.includes(req.paramsType)) throw invalidArgument(`${req.paramsType} is not a valid parameter type`);
      const p = await k.rawParams(ctx.store);
      return v1beta1.QueryParamsResponse.encode({
        votingParams: { votingPeriod: req.paramsType === 'voting' ? p.votingPeriod! : { seconds: 0n, nanos: 0 } },
        depositParams: req.paramsType === 'deposit' ? { minDeposit: p.minDeposit, maxDepositPeriod: p.maxDepositPeriod! } : { minDeposit: [], maxDepositPeriod: { seconds: 0n, nanos: 0 } },
        tallyParams: req.paramsType === 'tallying' ? legacyTallyParams(p) : { quorum: new Uint8Array(), threshold: new Uint8Array(), vetoThreshold: new Uint8Array() },
      }).finish();
    },
    [`${LEGACY}/Deposit`]: async (data, ctx) => {
      const req = v1beta1.QueryDepositRequest.decode(data);
      return v1beta1.QueryDepositResponse.encode({ deposit: legacyDeposit(await deposit(ctx, req.proposalId, req.depositor)) }).finish();
    },
    [`${LEGACY}/Deposits`]: async (data, ctx) => {
      const req = v1beta1.QueryDepositsRequest.decode(data);
      const { items, pagination } = await depositsPage(ctx, req.proposalId, req.pagination);
      return v1beta1.QueryDepositsResponse.encode({ deposits: items.map(legacyDeposit), pagination }).finish();
    },
    [`${LEGACY}/TallyResult`]: async (data, ctx) => v1beta1.QueryTallyResultResponse.encode({ tally: legacyTally(await tallyOf(k, ctx, v1beta1.QueryTallyResultRequest.decode(data).proposalId)) }).finish(),
  };
}
