// The gov module (cosmos.gov.v1, and v1beta1 as the SDK 0.50 serves it): proposals holding any list
// of messages, deposits, votes, a tally by bonded stake when voting ends, and a passed proposal's
// messages run atomically as the gov account. Its module account is every module's params authority.
import type { Module } from '../../core/framework/module.ts';
import { endBlock } from './block.ts';
import type { GovAccounts } from './deps.ts';
import { type GovGenesis, govGenesis } from './genesis.ts';
import type { GovKeeper } from './keeper.ts';
import { MODULE } from './keys.ts';
import { msgDeposit, msgDepositV1beta1 } from './msgs/deposit.ts';
import { msgExecLegacyContent } from './msgs/exec-legacy-content.ts';
import { msgSubmitProposal } from './msgs/submit-proposal.ts';
import { msgSubmitProposalV1beta1 } from './msgs/submit-proposal-v1beta1.ts';
import { msgUpdateParams } from './msgs/update-params.ts';
import { msgVote, msgVoteV1beta1, msgVoteWeighted, msgVoteWeightedV1beta1 } from './msgs/vote.ts';
import { govQueries } from './queries.ts';
import { checkGovInvariants } from './invariants.ts';

export { GovKeeper } from './keeper.ts';

/** `authority` is the account a proposal's messages must be signed by and run as (the gov module account). */
export function govModule(k: GovKeeper, accounts: GovAccounts, authority: Uint8Array): Module<GovGenesis> {
  return {
    name: MODULE,
    consensusVersion: 1,
    genesis: govGenesis(k, accounts),
    msgs: [
      msgSubmitProposal(k, authority),
      msgDeposit(k),
      msgVote(k),
      msgVoteWeighted(k),
      msgUpdateParams(authority),
      msgExecLegacyContent(authority),
      msgSubmitProposalV1beta1(k, authority),
      msgDepositV1beta1(k),
      msgVoteV1beta1(k),
      msgVoteWeightedV1beta1(k),
    ],
    queries: govQueries(k),
    invariants: checkGovInvariants,
    endBlock: (ctx) => endBlock(k, ctx),
  };
}
