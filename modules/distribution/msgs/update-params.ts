// MsgUpdateParams: replaces the distribution params. Only the app's params authority (the gov
// module account) may sign it; the new set passes the same check as genesis.
import { MsgUpdateParams, MsgUpdateParamsResponse } from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { checkNewParams, requireAuthority } from '../../../core/framework/authority.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ErrInvalidRequest } from '../../../core/framework/sdk-errors.ts';
import { DISTRIBUTION_TYPE_URLS } from '../../../sdk/distribution/messages.ts';
import { parseDec } from '../../../core/framework/dec.ts';
import * as keys from '../keys.ts';
import { fromProtoParams, toProtoParams, validateParams } from '../params.ts';

export function msgUpdateParams(authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: DISTRIBUTION_TYPE_URLS.MsgUpdateParams,
    decode: (bytes) => MsgUpdateParams.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      requireAuthority(ctx.addresses, authority, msg.authority);
      const { params } = msg;
      // As the SDK 0.50: the proposer bonuses are deprecated and may only be left empty or zero.
      for (const deprecated of [params.baseProposerReward, params.bonusProposerReward]) {
        if (deprecated !== '' && parseDec(deprecated) !== 0n) {
          throw ErrInvalidRequest.wrap('cannot update base or bonus proposer reward because these are deprecated fields');
        }
      }
      checkNewParams(() => {
        if (params.communityTax === '') throw new Error('community_tax must not be empty');
        validateParams(fromProtoParams(params));
      });
    },

    async execute(msg, ctx) {
      keys.params.set(ctx.store, toProtoParams(fromProtoParams(msg.params)));
      return msgResponse(DISTRIBUTION_TYPE_URLS.MsgUpdateParams, MsgUpdateParamsResponse, {});
    },
  };
}
