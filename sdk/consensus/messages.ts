// The consensus params' client face: MsgUpdateParams of cosmos.consensus.v1 (block, evidence,
// validator and ABCI params), signed by the gov authority. The only place its type URL is spelled.
import { MsgUpdateParams } from 'cosmjs-types/cosmos/consensus/v1/tx';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';

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
