// MsgSoftwareUpgrade: schedules a plan (replacing any scheduled one, as the SDK does). Only the params
// authority (the gov module account) may sign it: upgrade/6 otherwise.
import { MsgSoftwareUpgrade, MsgSoftwareUpgradeResponse } from 'cosmjs-types/cosmos/upgrade/v1beta1/tx';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { UPGRADE_TYPE_URLS } from '../../../sdk/upgrade/messages.ts';
import { requireUpgradeAuthority } from '../authority.ts';
import * as keys from '../keys.ts';
import { checkSchedulable, validatePlan } from '../plan.ts';

export function msgSoftwareUpgrade(authority: Uint8Array): MsgHandler<MsgSoftwareUpgrade> {
  return {
    typeUrl: UPGRADE_TYPE_URLS.MsgSoftwareUpgrade,
    decode: (bytes) => MsgSoftwareUpgrade.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      requireUpgradeAuthority(ctx.addresses, authority, msg.authority);
      validatePlan(msg.plan);
    },

    async execute(msg, ctx) {
      await checkSchedulable(ctx.store, msg.plan, ctx.block.height);
      keys.plan.set(ctx.store, { name: msg.plan.name, height: msg.plan.height, info: msg.plan.info, time: { seconds: 0n, nanos: 0 } });
      ctx.events.emit('upgrade_scheduled', { name: msg.plan.name, height: String(msg.plan.height) });
      return msgResponse(UPGRADE_TYPE_URLS.MsgSoftwareUpgrade, MsgSoftwareUpgradeResponse, {});
    },
  };
}
