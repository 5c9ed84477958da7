// gov genesis, the SDK 0.50's cosmos.gov.v1 GenesisState in its JSON form: params (Decs as "0.334",
// durations as "172800s"), starting_proposal_id, proposals (with their messages as Anys), deposits,
// votes and the constitution. Validation checks every id, address, coin and option, that deposits
// and votes belong to known proposals, and that open proposals have their deadlines. Init creates
// the module account and, as the SDK does, refuses a chain whose gov account does not hold exactly
// the sum of the deposits.
import { type Deposit, type Proposal, ProposalStatus, type Vote } from 'cosmjs-types/cosmos/gov/v1/gov';
import { Deposit as DepositType, Proposal as ProposalType, Vote as VoteType } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { Params } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { AddressCodec } from '../../core/framework/address.ts';
import { formatCoins, parseCoins, sumCoins, type Amount } from '../../core/framework/coins.ts';
import type { Context, QueryContext } from '../../core/framework/context.ts';
import { GenesisError, array, at, object, optional, string, uint } from '../../core/framework/json.ts';
import type { GenesisHandlers } from '../../core/framework/module.ts';
import { readProtoJson, writeProtoJson } from '../../core/framework/proto-json.ts';
import { timestampMs } from '../../core/framework/time.ts';
import type { GovAccounts } from './deps.ts';
import type { GovKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { defaultParams, paramsToJson, readParams } from './params.ts';
import { checkWeightedOptions } from './vote-options.ts';

export interface GovGenesis {
  readonly params: Params;
  readonly startingProposalId: bigint;
  readonly proposals: readonly Proposal[];
  readonly deposits: readonly Deposit[];
  readonly votes: readonly Vote[];
  readonly constitution: string;
}

const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [camel(k), camelKeys(v)]));
  return value;
}

const OPEN = [ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD];
const KNOWN = [...OPEN, ProposalStatus.PROPOSAL_STATUS_PASSED, ProposalStatus.PROPOSAL_STATUS_REJECTED, ProposalStatus.PROPOSAL_STATUS_FAILED];

export function govGenesis(k: GovKeeper, accounts: GovAccounts): GenesisHandlers<GovGenesis> {
  return {
    defaultGenesis: () => ({ starting_proposal_id: '1', deposits: [], votes: [], proposals: [], params: paramsToJson(defaultParams()), constitution: '' }),

    validate(json, addresses: AddressCodec) {
      const g = object(json, 'gov');
      const startingProposalId = optional(g['starting_proposal_id'], 1n, (v) => uint(v, 'gov.starting_proposal_id'));
      if (startingProposalId === 0n) throw new GenesisError('gov.starting_proposal_id: must be greater than 0');
      const params = readParams(g['params'] ?? {});
      const byId = new Map<bigint, Proposal>();
      const proposals = array(g['proposals'] ?? [], 'gov.proposals').map((raw, i) => {
        const path = `gov.proposals[${i}]`;
        const p = readProtoJson(ProposalType, camelKeys(raw), path);
        if (p.id === 0n || p.id >= startingProposalId) throw new GenesisError(`${path}.id: ${p.id} must be between 1 and starting_proposal_id - 1 (${startingProposalId - 1n})`);
        if (byId.has(p.id)) throw new GenesisError(`${path}.id: proposal ${p.id} is listed twice`);
        if (!KNOWN.includes(p.status)) throw new GenesisError(`${path}.status: not a proposal status`);
        if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && p.depositEndTime === undefined) throw new GenesisError(`${path}.deposit_end_time: a proposal in its deposit period needs one`);
        if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD && p.votingEndTime === undefined) throw new GenesisError(`${path}.voting_end_time: a proposal in its voting period needs one`);
        for (const [j, m] of p.messages.entries()) if (!k.router.has(m.typeUrl)) throw new GenesisError(`${path}.messages[${j}]: ${m.typeUrl} is not a message this chain handles`);
        at(`${path}.total_deposit`, () => parseCoins(p.totalDeposit, true));
        at(`${path}.proposer`, () => p.proposer === '' || addresses.decode(p.proposer));
        byId.set(p.id, p);
        return p;
      });
      const seen = new Set<string>();
      const belongs = (id: bigint, who: string, path: string, what: string): void => {
        if (!byId.has(id)) throw new GenesisError(`${path}.proposal_id: no proposal ${id}`);
        at(`${path}.${what}`, () => addresses.decode(who));
        const key = `${what}/${id}/${who}`;
        if (seen.has(key)) throw new GenesisError(`${path}: ${who} is listed twice for proposal ${id}`);
        seen.add(key);
      };
      const deposits = array(g['deposits'] ?? [], 'gov.deposits').map((raw, i) => {
        const path = `gov.deposits[${i}]`;
        const d = readProtoJson(DepositType, camelKeys(raw), path);
        belongs(d.proposalId, d.depositor, path, 'depositor');
        at(`${path}.amount`, () => parseCoins(d.amount));
        return d;
      });
      const votes = array(g['votes'] ?? [], 'gov.votes').map((raw, i) => {
        const path = `gov.votes[${i}]`;
        const v = readProtoJson(VoteType, camelKeys(raw), path);
        belongs(v.proposalId, v.voter, path, 'voter');
        if (byId.get(v.proposalId)!.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) throw new GenesisError(`${path}: proposal ${v.proposalId} is not in its voting period`);
        v.options = at(`${path}.options`, () => checkWeightedOptions(v.options, false));
        return v;
      });
      const constitution = g['constitution'] === undefined ? '' : string(g['constitution'], 'gov.constitution');
      return { params, startingProposalId, proposals, deposits, votes, constitution };
    },

    async init(genesis, ctx: Context) {
      const address = await accounts.ensureModuleAccount(ctx.store, keys.MODULE, (a) => ctx.addresses.encode(a), ['burner']);
      keys.params.set(ctx.store, genesis.params);
      keys.nextProposalId.set(ctx.store, genesis.startingProposalId);
      if (genesis.constitution !== '') keys.constitution.set(ctx.store, genesis.constitution);
      const held: Amount[][] = [];
      for (const d of genesis.deposits) {
        keys.deposits.set(ctx.store, [d.proposalId, ctx.addresses.decode(d.depositor)], d);
        held.push(parseCoins(d.amount));
      }
      for (const v of genesis.votes) keys.votes.set(ctx.store, [v.proposalId, ctx.addresses.decode(v.voter)], v);
      for (const p of genesis.proposals) {
        if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD) keys.inactiveQueue.set(ctx.store, [timestampMs(p.depositEndTime!), p.id], true);
        if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) keys.activeQueue.set(ctx.store, [timestampMs(p.votingEndTime!), p.id], true);
        keys.proposals.set(ctx.store, p.id, p);
      }
      const expected = formatCoins(sumCoins(held));
      const balance = formatCoins(await k.bank.balances(ctx.store, address));
      if (balance !== expected) throw new GenesisError(`gov: the gov module account holds ${balance || 'nothing'} but the deposits add up to ${expected || 'nothing'}`);
    },

    async export(ctx: QueryContext) {
      const proposals: unknown[] = [];
      for await (const [, p] of keys.proposals.entries(ctx.store)) proposals.push(writeProtoJson(ProposalType, p));
      const deposits: unknown[] = [];
      for await (const [, d] of keys.deposits.entries(ctx.store)) deposits.push(writeProtoJson(DepositType, d));
      const votes: unknown[] = [];
      for await (const [, v] of keys.votes.entries(ctx.store)) votes.push(writeProtoJson(VoteType, v));
      return {
        starting_proposal_id: ((await keys.nextProposalId.get(ctx.store)) ?? 1n).toString(),
        deposits,
        votes,
        proposals,
        params: paramsToJson(await k.rawParams(ctx.store)),
        constitution: (await keys.constitution.get(ctx.store)) ?? '',
      };
    },
  };
}
