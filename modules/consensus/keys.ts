// consensus state layout under "consensus/": the one set of CometBFT consensus params the chain runs
// with, seeded from InitChain's consensus_params and changed only by MsgUpdateParams.
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { Item, protoCodec } from '../../core/framework/collections.ts';

export const MODULE = 'consensus';

const PREFIX = new TextEncoder().encode('consensus/');

export const params = new Item(Uint8Array.of(...PREFIX, 0x01), protoCodec(ConsensusParams));
