// The Cosmos gov module's client face, as Cairn runs it (SDK 0.50): cosmos.gov.v1 proposals holding
// any list of messages, deposits, votes and gov's own params; cosmos.gov.v1beta1's messages too, as
// most wallets and CosmJS's own gov encoders still speak them (a v1beta1 proposal carries a
// TextProposal content). The only place their type URLs are spelled.
import { MsgDeposit, MsgExecLegacyContent, MsgSubmitProposal, MsgUpdateParams, MsgVote, MsgVoteWeighted } from 'cosmjs-types/cosmos/gov/v1/tx';
import {
  MsgDeposit as MsgDepositV1beta1,
  MsgSubmitProposal as MsgSubmitProposalV1beta1,
  MsgVote as MsgVoteV1beta1,
  MsgVoteWeighted as MsgVoteWeightedV1beta1,
} from 'cosmjs-types/cosmos/gov/v1beta1/tx';
import { TextProposal } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { COINS, keep, list, type AminoMessage, aminoConverters, aminoMessages } from '../amino.ts';

export const GOV_TYPE_URLS = {
  MsgSubmitProposal: '/cosmos.gov.v1.MsgSubmitProposal',
  MsgDeposit: '/cosmos.gov.v1.MsgDeposit',
  MsgVote: '/cosmos.gov.v1.MsgVote',
  MsgVoteWeighted: '/cosmos.gov.v1.MsgVoteWeighted',
  MsgUpdateParams: '/cosmos.gov.v1.MsgUpdateParams',
  MsgExecLegacyContent: '/cosmos.gov.v1.MsgExecLegacyContent',
} as const;

export const GOV_V1BETA1_TYPE_URLS = {
  MsgSubmitProposal: '/cosmos.gov.v1beta1.MsgSubmitProposal',
  MsgDeposit: '/cosmos.gov.v1beta1.MsgDeposit',
  MsgVote: '/cosmos.gov.v1beta1.MsgVote',
  MsgVoteWeighted: '/cosmos.gov.v1beta1.MsgVoteWeighted',
} as const;

/** The one legacy content a v1beta1 proposal may carry (a proposal that only asks a question). */
export const TEXT_PROPOSAL_TYPE_URL = '/cosmos.gov.v1beta1.TextProposal';

const TYPES = { MsgSubmitProposal, MsgDeposit, MsgVote, MsgVoteWeighted, MsgUpdateParams, MsgExecLegacyContent };
const V1BETA1_TYPES = { MsgSubmitProposal: MsgSubmitProposalV1beta1, MsgDeposit: MsgDepositV1beta1, MsgVote: MsgVoteV1beta1, MsgVoteWeighted: MsgVoteWeightedV1beta1 };

export type GovMsgName = keyof typeof GOV_TYPE_URLS;
/** e.g. `GovEncodeObject<'MsgVote'>`. */
export type GovEncodeObject<K extends GovMsgName = GovMsgName> = EncodeObjects<typeof GOV_TYPE_URLS, typeof TYPES>[K];

/** For a CosmJS Registry (v1 and v1beta1 messages, and the TextProposal content). */
export const govTypes = [...generatedTypes(GOV_TYPE_URLS, TYPES), ...generatedTypes(GOV_V1BETA1_TYPE_URLS, V1BETA1_TYPES), ...generatedTypes({ TextProposal: TEXT_PROPOSAL_TYPE_URL }, { TextProposal })];
/** `govMsgs.MsgVote({ proposalId, voter, option })`: the cosmos.gov.v1 EncodeObject to sign. */
export const govMsgs = encodeObjectBuilders(GOV_TYPE_URLS, TYPES);
/** `govV1beta1Msgs.MsgVote({ … })`: the cosmos.gov.v1beta1 forms. */
export const govV1beta1Msgs = encodeObjectBuilders(GOV_V1BETA1_TYPE_URLS, V1BETA1_TYPES);

/** A TextProposal as the Any a v1beta1 MsgSubmitProposal's content holds. */
export function textProposalContent(title: string, description: string): { typeUrl: string; value: Uint8Array } {
  return { typeUrl: TEXT_PROPOSAL_TYPE_URL, value: TextProposal.encode({ title, description }).finish() };
}

/**
 * Amino JSON (Ledger, Keplr's amino path), with the SDK's names: cosmos-sdk/v1/… for v1, the bare
 * cosmos-sdk/… names for v1beta1 (what CosmJS's own gov converters sign). A proposal's messages are
 * Anys written with their own amino encoding: sign proposals with `cairnAminoConverters()`
 * (sdk/cosmjs-registry.ts), which knows every message.
 */
export const govAmino: readonly AminoMessage[] = [
  ...aminoMessages(GOV_TYPE_URLS, TYPES, {
    MsgSubmitProposal: [
      'cosmos-sdk/v1/MsgSubmitProposal',
      { messages: list('any'), initial_deposit: COINS, proposer: 'string', metadata: 'string', title: 'string', summary: 'string', expedited: 'bool' },
    ],
    MsgDeposit: ['cosmos-sdk/v1/MsgDeposit', { proposal_id: keep('int64'), depositor: 'string', amount: COINS }],
    MsgVote: ['cosmos-sdk/v1/MsgVote', { proposal_id: keep('int64'), voter: 'string', option: 'number', metadata: 'string' }],
    MsgVoteWeighted: [
      'cosmos-sdk/v1/MsgVoteWeighted',
      { proposal_id: keep('int64'), voter: 'string', options: list({ option: 'number', weight: 'string' }), metadata: 'string' },
    ],
    MsgUpdateParams: [
      'cosmos-sdk/x/gov/v1/MsgUpdateParams',
      {
        authority: 'string',
        params: keep({
          min_deposit: list({ denom: 'string', amount: keep('int') }, { keep: true }),
          max_deposit_period: 'duration',
          voting_period: 'duration',
          quorum: 'string',
          threshold: 'string',
          veto_threshold: 'string',
          min_initial_deposit_ratio: 'string',
          proposal_cancel_ratio: 'string',
          proposal_cancel_dest: 'string',
          expedited_voting_period: 'duration',
          expedited_threshold: 'string',
          expedited_min_deposit: list({ denom: 'string', amount: keep('int') }, { keep: true }),
          burn_vote_quorum: 'bool',
          burn_proposal_deposit_prevote: 'bool',
          burn_vote_veto: 'bool',
          min_deposit_ratio: 'string',
        }),
      },
    ],
    MsgExecLegacyContent: ['cosmos-sdk/v1/MsgExecLegacyContent', { content: 'any', authority: 'string' }],
  }),
  ...aminoMessages(GOV_V1BETA1_TYPE_URLS, V1BETA1_TYPES, {
    MsgSubmitProposal: ['cosmos-sdk/MsgSubmitProposal', { content: 'any', initial_deposit: COINS, proposer: 'string' }],
    MsgDeposit: ['cosmos-sdk/MsgDeposit', { proposal_id: keep('int64'), depositor: 'string', amount: COINS }],
    MsgVote: ['cosmos-sdk/MsgVote', { proposal_id: keep('int64'), voter: 'string', option: 'number' }],
    MsgVoteWeighted: [
      'cosmos-sdk/MsgVoteWeighted',
      { proposal_id: keep('int64'), voter: 'string', options: list({ option: 'number', weight: keep('dec') }) },
    ],
  }),
  ...aminoMessages({ TextProposal: TEXT_PROPOSAL_TYPE_URL }, { TextProposal }, { TextProposal: ['cosmos-sdk/TextProposal', { title: 'string', description: 'string' }] }),
];
/** For `new AminoTypes({ ...govAminoConverters })` (proposal contents limited to gov's own types). */
export const govAminoConverters = aminoConverters(govAmino);
