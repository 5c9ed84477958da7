// The consensus params' client face: MsgUpdateParams of cosmos.consensus.v1 (block, evidence,
// validator and ABCI params), signed by the gov authority. The only place its type URL is spelled.
import { MsgUpdateParams } from 'cosmjs-types/cosmos/consensus/v1/tx';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { list, type AminoMessage, aminoConverters, aminoMessages } from '../amino.ts';

export const CONSENSUS_TYPE_URLS = {
  MsgUpdateParams: '/cosmos.consensus.v1.MsgUpdateParams',
} as const;

const TYPES = { MsgUpdateParams };

export type ConsensusMsgName = keyof typeof CONSENSUS_TYPE_URLS;
export type ConsensusEncodeObject<K extends ConsensusMsgName = ConsensusMsgName> = EncodeObjects<typeof CONSENSUS_TYPE_URLS, typeof TYPES>[K];

/** For a CosmJS Registry. */
export const consensusTypes = generatedTypes(CONSENSUS_TYPE_URLS, TYPES);
/** `consensusMsgs.MsgUpdateParams({ authority, block, evidence, validator })`: the EncodeObject to sign. */
export const consensusMsgs = encodeObjectBuilders(CONSENSUS_TYPE_URLS, TYPES);

/** Amino JSON (Ledger, Keplr's amino path), with the SDK's name. */
export const consensusAmino: readonly AminoMessage[] = aminoMessages(CONSENSUS_TYPE_URLS, TYPES, {
  MsgUpdateParams: [
    'cosmos-sdk/x/consensus/MsgUpdateParams',
    {
      authority: 'string',
      block: { max_bytes: 'int64', max_gas: 'int64' },
      evidence: { max_age_num_blocks: 'int64', max_age_duration: 'duration', max_bytes: 'int64' },
      validator: { pub_key_types: list('string') },
      abci: { vote_extensions_enable_height: 'int64' },
    },
  ],
});
/** For `new AminoTypes({ ...consensusAminoConverters })`. */
export const consensusAminoConverters = aminoConverters(consensusAmino);
