// The upgrade module's client face: scheduling and cancelling a software upgrade (cosmos.upgrade.v1beta1),
// signed by the gov authority. The only place their type URLs are spelled.
import { MsgCancelUpgrade, MsgSoftwareUpgrade } from 'cosmjs-types/cosmos/upgrade/v1beta1/tx';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { keep, type AminoMessage, aminoConverters, aminoMessages } from '../amino.ts';

export const UPGRADE_TYPE_URLS = {
  MsgSoftwareUpgrade: '/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade',
  MsgCancelUpgrade: '/cosmos.upgrade.v1beta1.MsgCancelUpgrade',
} as const;

const TYPES = { MsgSoftwareUpgrade, MsgCancelUpgrade };

export type UpgradeMsgName = keyof typeof UPGRADE_TYPE_URLS;
export type UpgradeEncodeObject<K extends UpgradeMsgName = UpgradeMsgName> = EncodeObjects<typeof UPGRADE_TYPE_URLS, typeof TYPES>[K];

/** For a CosmJS Registry. */
export const upgradeTypes = generatedTypes(UPGRADE_TYPE_URLS, TYPES);
/** `upgradeMsgs.MsgSoftwareUpgrade({ authority, plan: { name, height, info } })`: the EncodeObject to sign. */
export const upgradeMsgs = encodeObjectBuilders(UPGRADE_TYPE_URLS, TYPES);

/** Amino JSON (Ledger, Keplr's amino path), with the SDK's names. */
export const upgradeAmino: readonly AminoMessage[] = aminoMessages(UPGRADE_TYPE_URLS, TYPES, {
  MsgSoftwareUpgrade: [
    'cosmos-sdk/MsgSoftwareUpgrade',
    { authority: 'string', plan: keep({ name: 'string', time: 'timestamp', height: 'int64', info: 'string', upgraded_client_state: 'any' }) },
  ],
  MsgCancelUpgrade: ['cosmos-sdk/MsgCancelUpgrade', { authority: 'string' }],
});
/** For `new AminoTypes({ ...upgradeAminoConverters })`. */
export const upgradeAminoConverters = aminoConverters(upgradeAmino);
