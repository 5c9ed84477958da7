// MsgCancelUpgrade: drops the scheduled plan, if any (no plan is not an error, as in the SDK). Only the
// params authority may sign it: upgrade/6 otherwise.
import { MsgCancelUpgrade, MsgCancelUpgradeResponse } from 'cosmjs-types/cosmos/upgrade/v1beta1/tx';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { UPGRADE_TYPE_URLS } from '../../../sdk/upgrade/messages.ts';
import { requireUpgradeAuthority } from '../authority.ts';
import * as keys from '../keys.ts';

export function msgCancelUpgrade(authority: Uint8Array): MsgHandler<MsgCancelUpgrade> {
  return {
    typeUrl: UPGRADE_TYPE_URLS.MsgCancelUpgrade,
    decode: (bytes) => MsgCancelUpgrade.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      requireUpgradeAuthority(ctx.addresses, authority, msg.authority);
    },

    async execute(_msg, ctx) {
      const plan = await keys.plan.get(ctx.store);
      if (plan !== undefined) {
        ctx.store.delete(keys.plan.key);
        ctx.events.emit('upgrade_cancelled', { name: plan.name, height: String(plan.height) });
      }
      return msgResponse(UPGRADE_TYPE_URLS.MsgCancelUpgrade, MsgCancelUpgradeResponse, {});
    },
  };
}
