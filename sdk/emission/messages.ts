// The emission module's message types for a CosmJS Registry.
import type { GeneratedType } from '@cosmjs/proto-signing';
import { MsgChallengeCapacity, MsgProveCapacity, MsgReportAvailability, MsgSetAvailabilityReporter, MsgUpdateParams } from '../../proto/gen/cairn/emission/v1/tx.ts';

export const EMISSION_MSG_TYPE_URLS = {
  MsgReportAvailability: '/cairn.emission.v1.MsgReportAvailability',
  MsgSetAvailabilityReporter: '/cairn.emission.v1.MsgSetAvailabilityReporter',
  MsgProveCapacity: '/cairn.emission.v1.MsgProveCapacity',
  MsgChallengeCapacity: '/cairn.emission.v1.MsgChallengeCapacity',
  MsgUpdateParams: '/cairn.emission.v1.MsgUpdateParams',
} as const;

export const emissionTypes: ReadonlyArray<[string, GeneratedType]> = [
  [EMISSION_MSG_TYPE_URLS.MsgReportAvailability, MsgReportAvailability as unknown as GeneratedType],
  [EMISSION_MSG_TYPE_URLS.MsgSetAvailabilityReporter, MsgSetAvailabilityReporter as unknown as GeneratedType],
  [EMISSION_MSG_TYPE_URLS.MsgProveCapacity, MsgProveCapacity as unknown as GeneratedType],
  [EMISSION_MSG_TYPE_URLS.MsgChallengeCapacity, MsgChallengeCapacity as unknown as GeneratedType],
  [EMISSION_MSG_TYPE_URLS.MsgUpdateParams, MsgUpdateParams as unknown as GeneratedType],
];
