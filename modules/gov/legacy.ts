// The v1 records in their cosmos.gov.v1beta1 shapes, as the SDK 0.50's legacy query server converts
// them (x/gov/migrations/v3/convert.go): a proposal's content is its MsgExecLegacyContent's content,
// else its first message; times a v1 proposal does not have yet are Go's zero time; weights and
// tally params are Decs in their atomics form.
import type { Deposit, Params, Proposal, TallyResult, Vote } from 'cosmjs-types/cosmos/gov/v1/gov';
import { MsgExecLegacyContent } from 'cosmjs-types/cosmos/gov/v1/tx';
import type * as legacy from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { decToBytes, decToProto, parseDecJson } from '../../core/framework/dec.ts';
import { GOV_TYPE_URLS } from '../../sdk/gov/messages.ts';
import { EMPTY_TALLY } from './tally.ts';

/** 0001-01-01T00:00:00Z, what a nil time becomes in a non-nullable Go field. */
const ZERO_TIME: Timestamp = { seconds: -62_135_596_800n, nanos: 0 };

export function legacyTally(t: TallyResult | undefined): legacy.TallyResult {
  const r = t ?? EMPTY_TALLY;
  return { yes: r.yesCount, abstain: r.abstainCount, no: r.noCount, noWithVeto: r.noWithVetoCount };
}

export function legacyProposal(p: Proposal): legacy.Proposal {
  const exec = p.messages.find((m) => m.typeUrl === GOV_TYPE_URLS.MsgExecLegacyContent);
  const content = exec !== undefined ? MsgExecLegacyContent.decode(exec.value).content : p.messages[0];
  return {
    proposalId: p.id,
    ...(content === undefined ? {} : { content }),
    status: p.status,
    finalTallyResult: legacyTally(p.finalTallyResult),
    submitTime: p.submitTime ?? ZERO_TIME,
    depositEndTime: p.depositEndTime ?? ZERO_TIME,
    totalDeposit: p.totalDeposit,
    votingStartTime: p.votingStartTime ?? ZERO_TIME,
    votingEndTime: p.votingEndTime ?? ZERO_TIME,
  };
}

export function legacyVote(v: Vote): legacy.Vote {
  const options = v.options.map((o) => ({ option: o.option, weight: decToProto(parseDecJson(o.weight)) }));
  // The deprecated single `option` is filled when the vote is a single option, for older readers.
  return { proposalId: v.proposalId, voter: v.voter, option: options.length === 1 ? options[0]!.option : 0, options };
}

export function legacyDeposit(d: Deposit): legacy.Deposit {
  return { proposalId: d.proposalId, depositor: d.depositor, amount: d.amount };
}

export function legacyTallyParams(p: Params): legacy.TallyParams {
  return { quorum: decToBytes(parseDecJson(p.quorum)), threshold: decToBytes(parseDecJson(p.threshold)), vetoThreshold: decToBytes(parseDecJson(p.vetoThreshold)) };
}
