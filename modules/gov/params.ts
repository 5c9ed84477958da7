// gov params as the SDK 0.50 defines them (cosmos.gov.v1.Params), stored in their proto form; the
// keeper works on the parsed GovParams. Genesis JSON is the SDK's: Decs as "0.334", durations as
// "172800s". Cairn refuses expedited proposals and offers no MsgCancelProposal, so those params are
// kept and checked as the SDK checks them but never used.
import type { Duration } from 'cosmjs-types/google/protobuf/duration';
import type { Params } from 'cosmjs-types/cosmos/gov/v1/gov';
import { type Amount, parseCoins } from '../../core/framework/coins.ts';
import { type Dec, ONE, formatDec, parseDecJson } from '../../core/framework/dec.ts';
import { GenesisError, array, at, object, string } from '../../core/framework/json.ts';

export interface GovParams {
  readonly minDeposit: readonly Amount[];
  readonly maxDepositPeriodMs: bigint;
  readonly votingPeriodMs: bigint;
  readonly quorum: Dec;
  readonly threshold: Dec;
  readonly vetoThreshold: Dec;
  readonly minInitialDepositRatio: Dec;
  /** A deposit must be at least this fraction of min_deposit in one of its denoms (0 = any amount). */
  readonly minDepositRatio: Dec;
  readonly burnVoteQuorum: boolean;
  readonly burnProposalDepositPrevote: boolean;
  readonly burnVoteVeto: boolean;
}

const DAY_S = 86_400n;

/** The SDK 0.50 defaults, with the bond denom for "stake". */
export function defaultParams(denom = 'ucairn'): Params {
  return {
    minDeposit: [{ denom, amount: '10000000' }],
    maxDepositPeriod: { seconds: 2n * DAY_S, nanos: 0 },
    votingPeriod: { seconds: 2n * DAY_S, nanos: 0 },
    quorum: '0.334000000000000000',
    threshold: '0.500000000000000000',
    vetoThreshold: '0.334000000000000000',
    minInitialDepositRatio: '0.000000000000000000',
    proposalCancelRatio: '0.500000000000000000',
    proposalCancelDest: '',
    expeditedVotingPeriod: { seconds: DAY_S, nanos: 0 },
    expeditedThreshold: '0.667000000000000000',
    expeditedMinDeposit: [{ denom, amount: '50000000' }],
    burnVoteQuorum: false,
    burnProposalDepositPrevote: false,
    burnVoteVeto: true,
    minDepositRatio: '0.010000000000000000',
  };
}

function durationMs(d: Duration | undefined, name: string): bigint {
  if (d === undefined) throw new Error(`${name} must be set`);
  const ms = d.seconds * 1000n + BigInt(Math.trunc(d.nanos / 1_000_000));
  if (ms <= 0n) throw new Error(`${name} must be positive, got ${durationToJson(d)}`);
  return ms;
}

function fraction(text: string, name: string, positive: boolean): Dec {
  let d: Dec;
  try {
    d = parseDecJson(text, name);
  } catch {
    throw new Error(`${name} "${text}" is not a decimal`);
  }
  if (d > ONE) throw new Error(`${name} too large: ${text}`);
  if (positive && d === 0n) throw new Error(`${name} must be positive: ${text}`);
  return d;
}

function coins(list: Params['minDeposit'], name: string): Amount[] {
  try {
    return parseCoins(list);
  } catch (e) {
    throw new Error(`invalid ${name}: ${(e as Error).message}`, { cause: e });
  }
}

/** The SDK's Params.ValidateBasic, which genesis and MsgUpdateParams share; throws an Error naming the field. */
export function parseParams(p: Params): GovParams {
  const minDeposit = coins(p.minDeposit, 'minimum deposit');
  const expeditedMinDeposit = coins(p.expeditedMinDeposit, 'expedited minimum deposit');
  for (const e of expeditedMinDeposit) {
    const regular = minDeposit.find((m) => m.denom === e.denom);
    if (regular === undefined || e.amount <= regular.amount) {
      throw new Error(`expedited minimum deposit must be greater than minimum deposit: ${e.amount}${e.denom}`);
    }
  }
  const quorum = fraction(p.quorum, 'quorum', false);
  const threshold = fraction(p.threshold, 'vote threshold', true);
  const expeditedThreshold = fraction(p.expeditedThreshold, 'expedited vote threshold', true);
  if (expeditedThreshold <= threshold) throw new Error(`expedited vote threshold ${p.expeditedThreshold} must be greater than the regular threshold ${p.threshold}`);
  const vetoThreshold = fraction(p.vetoThreshold, 'veto threshold', true);
  const maxDepositPeriodMs = durationMs(p.maxDepositPeriod, 'maximum deposit period');
  const votingPeriodMs = durationMs(p.votingPeriod, 'voting period');
  const expeditedMs = durationMs(p.expeditedVotingPeriod, 'expedited voting period');
  if (expeditedMs >= votingPeriodMs) throw new Error(`expedited voting period ${durationToJson(p.expeditedVotingPeriod!)} must be strictly less than the regular voting period ${durationToJson(p.votingPeriod!)}`);
  const minInitialDepositRatio = fraction(p.minInitialDepositRatio, 'minimum initial deposit ratio', false);
  fraction(p.proposalCancelRatio, 'proposal cancel ratio', false);
  if (p.proposalCancelDest !== '') throw new Error('proposal_cancel_dest must be empty: Cairn offers no MsgCancelProposal');
  const minDepositRatio = fraction(p.minDepositRatio, 'minimum deposit ratio', false);
  return {
    minDeposit,
    maxDepositPeriodMs,
    votingPeriodMs,
    quorum,
    threshold,
    vetoThreshold,
    minInitialDepositRatio,
    minDepositRatio,
    burnVoteQuorum: p.burnVoteQuorum,
    burnProposalDepositPrevote: p.burnProposalDepositPrevote,
    burnVoteVeto: p.burnVoteVeto,
  };
}

export function durationToJson(d: Duration): string {
  const nanos = d.nanos === 0 ? '' : `.${String(d.nanos).padStart(9, '0').replace(/0+$/, '')}`;
  return `${d.seconds}${nanos}s`;
}

/** proto3 JSON's Duration: "172800s", "1.5s". */
export function durationFromJson(v: unknown, path: string): Duration {
  const text = string(v, path);
  const m = /^([0-9]{1,12})(?:\.([0-9]{1,9}))?s$/.exec(text);
  if (m === null) throw new GenesisError(`${path}: "${text}" is not a duration such as 172800s`);
  return { seconds: BigInt(m[1]!), nanos: m[2] === undefined ? 0 : Number(m[2].padEnd(9, '0')) };
}

/** The Decs in the SDK's stored form ("0.5" → "0.500000000000000000"); `p` has passed parseParams. */
export function normalizeParams(p: Params): Params {
  return {
    ...p,
    quorum: decParam(p.quorum),
    threshold: decParam(p.threshold),
    vetoThreshold: decParam(p.vetoThreshold),
    minInitialDepositRatio: decParam(p.minInitialDepositRatio),
    proposalCancelRatio: decParam(p.proposalCancelRatio),
    expeditedThreshold: decParam(p.expeditedThreshold),
    minDepositRatio: decParam(p.minDepositRatio),
  };
}

/** A Dec param in the SDK's JSON and proto form, "0.500000000000000000". */
export function decParam(text: string): string {
  return formatDec(parseDecJson(text));
}

export function paramsToJson(p: Params): Record<string, unknown> {
  return {
    min_deposit: p.minDeposit,
    max_deposit_period: durationToJson(p.maxDepositPeriod!),
    voting_period: durationToJson(p.votingPeriod!),
    quorum: p.quorum,
    threshold: p.threshold,
    veto_threshold: p.vetoThreshold,
    min_initial_deposit_ratio: p.minInitialDepositRatio,
    proposal_cancel_ratio: p.proposalCancelRatio,
    proposal_cancel_dest: p.proposalCancelDest,
    expedited_voting_period: durationToJson(p.expeditedVotingPeriod!),
    expedited_threshold: p.expeditedThreshold,
    expedited_min_deposit: p.expeditedMinDeposit,
    burn_vote_quorum: p.burnVoteQuorum,
    burn_proposal_deposit_prevote: p.burnProposalDepositPrevote,
    burn_vote_veto: p.burnVoteVeto,
    min_deposit_ratio: p.minDepositRatio,
  };
}

/** Genesis params: any field left out takes the SDK default; the whole set must pass parseParams. */
export function readParams(json: unknown): Params {
  const o = object(json, 'gov.params');
  const d = defaultParams();
  const known = new Set(Object.keys(paramsToJson(d)));
  for (const k of Object.keys(o)) if (!known.has(k)) throw new GenesisError(`gov.params.${k}: unknown field`);
  const coinList = (k: string, fallback: Params['minDeposit']): Params['minDeposit'] =>
    o[k] === undefined
      ? fallback
      : array(o[k], `gov.params.${k}`).map((c, i) => {
          const coin = object(c, `gov.params.${k}[${i}]`);
          return { denom: string(coin['denom'], `gov.params.${k}[${i}].denom`), amount: string(coin['amount'], `gov.params.${k}[${i}].amount`) };
        });
  const dec = (k: string, fallback: string): string => (o[k] === undefined ? fallback : at(`gov.params.${k}`, () => decParam(string(o[k], `gov.params.${k}`))));
  const dur = (k: string, fallback: Duration | undefined): Duration => (o[k] === undefined ? fallback! : durationFromJson(o[k], `gov.params.${k}`));
  const bool = (k: string, fallback: boolean): boolean => {
    if (o[k] === undefined) return fallback;
    if (typeof o[k] !== 'boolean') throw new GenesisError(`gov.params.${k}: expected true or false`);
    return o[k];
  };
  const p: Params = {
    minDeposit: coinList('min_deposit', d.minDeposit),
    maxDepositPeriod: dur('max_deposit_period', d.maxDepositPeriod),
    votingPeriod: dur('voting_period', d.votingPeriod),
    quorum: dec('quorum', d.quorum),
    threshold: dec('threshold', d.threshold),
    vetoThreshold: dec('veto_threshold', d.vetoThreshold),
    minInitialDepositRatio: dec('min_initial_deposit_ratio', d.minInitialDepositRatio),
    proposalCancelRatio: dec('proposal_cancel_ratio', d.proposalCancelRatio),
    proposalCancelDest: o['proposal_cancel_dest'] === undefined ? '' : string(o['proposal_cancel_dest'], 'gov.params.proposal_cancel_dest'),
    expeditedVotingPeriod: dur('expedited_voting_period', d.expeditedVotingPeriod),
    expeditedThreshold: dec('expedited_threshold', d.expeditedThreshold),
    expeditedMinDeposit: coinList('expedited_min_deposit', d.expeditedMinDeposit),
    burnVoteQuorum: bool('burn_vote_quorum', d.burnVoteQuorum),
    burnProposalDepositPrevote: bool('burn_proposal_deposit_prevote', d.burnProposalDepositPrevote),
    burnVoteVeto: bool('burn_vote_veto', d.burnVoteVeto),
    minDepositRatio: dec('min_deposit_ratio', d.minDepositRatio),
  };
  at('gov.params', () => parseParams(p));
  return p;
}
