// MsgUpdateParams (cosmos.consensus.v1, SDK 0.50's x/consensus): replaces the block, evidence and
// validator params (all three required) and, when given, the vote-extension enable height. Only the
// params authority (the gov module account) may sign it; the resulting set passes CometBFT's own
// checks here, so CometBFT never receives an update it would refuse. The version param is not the
// message's to change. The new set reaches CometBFT in this block's FinalizeBlock
// consensus_param_updates and takes effect from the next height.
import { MsgUpdateParams, MsgUpdateParamsResponse } from 'cosmjs-types/cosmos/consensus/v1/tx';
import { checkNewParams, requireAuthority } from '../../../core/framework/authority.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { CONSENSUS_TYPE_URLS } from '../../../sdk/consensus/messages.ts';
import * as keys from '../keys.ts';
import { type FullConsensusParams, defaultConsensusParams, validateConsensusParams, validateVoteExtensionsUpdate } from '../params.ts';
import { storedParams } from '../state.ts';

export function msgUpdateParams(authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: CONSENSUS_TYPE_URLS.MsgUpdateParams,
    decode: (bytes) => MsgUpdateParams.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      requireAuthority(ctx.addresses, authority, msg.authority);
      checkNewParams(() => validateConsensusParams(fromMsg(msg, defaultConsensusParams())));
    },

    async execute(msg, ctx) {
      const current = await storedParams(ctx.store);
      const next = fromMsg(msg, current);
      checkNewParams(() => {
        validateConsensusParams(next);
        validateVoteExtensionsUpdate(current.abci.voteExtensionsEnableHeight, next.abci.voteExtensionsEnableHeight, ctx.block.height);
      });
      keys.params.set(ctx.store, next);
      return msgResponse(CONSENSUS_TYPE_URLS.MsgUpdateParams, MsgUpdateParamsResponse, {});
    },
  };
}

/** The set the message makes of `current`; the SDK requires block, evidence and validator (abci may stay). */
function fromMsg(msg: MsgUpdateParams, current: FullConsensusParams): FullConsensusParams {
  const { block, evidence, validator } = msg;
  if (block === undefined || evidence === undefined || validator === undefined) throw new Error('all parameters must be present (block, evidence and validator)');
  return { block, evidence, validator, abci: msg.abci ?? current.abci, version: current.version };
}
