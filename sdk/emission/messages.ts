// The emission module's client face: availability reports and capacity challenges.
// The only place its type URLs are spelled: the module's handlers register with them, and
// wallets, the CLI and the node's own signers build their messages with `emissionMsgs`.
import * as tx from '../../proto/gen/cairn/emission/v1/tx.ts';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { type AminoMessage, aminoConverters } from '../amino.ts';
import { cairnModuleAmino } from '../cairn-amino.ts';

export const EMISSION_TYPE_URLS = {
  MsgReportAvailability: '/cairn.emission.v1.MsgReportAvailability',
  MsgSetAvailabilityReporter: '/cairn.emission.v1.MsgSetAvailabilityReporter',
  MsgProveCapacity: '/cairn.emission.v1.MsgProveCapacity',
  MsgChallengeCapacity: '/cairn.emission.v1.MsgChallengeCapacity',
  MsgUpdateParams: '/cairn.emission.v1.MsgUpdateParams',
} as const;

export type EmissionMsgName = keyof typeof EMISSION_TYPE_URLS;
/** e.g. `EmissionEncodeObject<'MsgReportAvailability'>`. */
export type EmissionEncodeObject<K extends EmissionMsgName = EmissionMsgName> = EncodeObjects<typeof EMISSION_TYPE_URLS, typeof tx>[K];

/** Most operators one MsgReportAvailability may report on; the chain refuses more. */
export const MAX_REPORTS = 256;
/** Longest GPU id a MsgChallengeCapacity may name. */
export const MAX_GPU_ID_LENGTH = 128;

/** For a CosmJS Registry. */
export const emissionTypes = generatedTypes(EMISSION_TYPE_URLS, tx);
/** `emissionMsgs.MsgReportAvailability({ … })`: the EncodeObject to sign. */
export const emissionMsgs = encodeObjectBuilders(EMISSION_TYPE_URLS, tx);

/** Amino JSON (Ledger, Keplr's amino path): `cairn/MsgX`, params as `cairn/x/emission/MsgUpdateParams`. */
export const emissionAmino: readonly AminoMessage[] = cairnModuleAmino('emission', EMISSION_TYPE_URLS, tx);
/** For `new AminoTypes({ ...emissionAminoConverters })`: a CosmJS client signs emission messages with amino JSON. */
export const emissionAminoConverters = aminoConverters(emissionAmino);
