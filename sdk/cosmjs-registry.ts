// One CosmJS Registry of every type the module faces name, and one amino table of every message: the messages Cairn's handlers accept
// (Cosmos bank, staking, distribution, slashing, gov, consensus, upgrade, feegrant, authz, vesting; Cairn's registry, receipts, royalty, emission) and
// auth's account types. Used by the CLI, the node's own signers (the watcher's challenges and
// forgery reports, availability reports), wallets and tests.
import { Registry } from '@cosmjs/proto-signing';
import type { AminoConverters } from '@cosmjs/stargate';
import { type AminoMessage, type AnyResolver, aminoConverters, anyResolver } from './amino.ts';
// Loaded for its effect: every 64-bit integer that cosmjs-types encodes round-trips.
import '../proto/cosmjs-int64.ts';
import '../proto/cosmjs-alloc.ts';
import '../proto/cosmjs-utf8.ts';
import { authAmino, authTypes } from './auth/messages.ts';
import { bankAmino, bankTypes } from './bank/messages.ts';
import { consensusAmino, consensusTypes } from './consensus/messages.ts';
import { distributionAmino, distributionTypes } from './distribution/messages.ts';
import { emissionAmino, emissionTypes } from './emission/messages.ts';
import { feegrantAmino, feegrantTypes } from './feegrant/messages.ts';
import { authzAmino, authzTypes } from './authz/messages.ts';
import { vestingAmino, vestingTypes } from './vesting/messages.ts';
import { govAmino, govTypes } from './gov/messages.ts';
import { receiptsAmino, receiptsTypes } from './receipts/messages.ts';
import { registryAmino, registryTypes } from './registry/messages.ts';
import { royaltyAmino, royaltyTypes } from './royalty/messages.ts';
import { slashingAmino, slashingTypes } from './slashing/messages.ts';
import { stakingAmino, stakingTypes } from './staking/messages.ts';
import { upgradeAmino, upgradeTypes } from './upgrade/messages.ts';

/** A new Registry of every type (a Registry is mutable: each client gets its own). */
export function cairnRegistry(): Registry {
  return new Registry([
    ...authTypes,
    ...bankTypes,
    ...stakingTypes,
    ...distributionTypes,
    ...slashingTypes,
    ...consensusTypes,
    ...upgradeTypes,
    ...feegrantTypes,
    ...authzTypes,
    ...vestingTypes,
    ...govTypes,
    ...registryTypes,
    ...receiptsTypes,
    ...royaltyTypes,
    ...emissionTypes,
  ]);
}

/** Every message's amino encoding (and the Any contents a proposal may carry). */
export const CAIRN_AMINO: readonly AminoMessage[] = [
  ...authAmino,
  ...bankAmino,
  ...stakingAmino,
  ...distributionAmino,
  ...slashingAmino,
  ...consensusAmino,
  ...upgradeAmino,
  ...feegrantAmino,
  ...authzAmino,
  ...vestingAmino,
  ...govAmino,
  ...registryAmino,
  ...receiptsAmino,
  ...royaltyAmino,
  ...emissionAmino,
];

/** Amino encodings by type URL and by amino name (each is unique: checked here, at load). */
export const cairnAminoResolver: AnyResolver = anyResolver(CAIRN_AMINO);

/** CosmJS AminoConverters for every message: `new AminoTypes(cairnAminoConverters())`, or pass
 * `aminoTypes: cairnAminoTypes()` (sdk/cosmjs-amino-types.ts) to SigningStargateClient. */
export function cairnAminoConverters(): AminoConverters {
  return aminoConverters(CAIRN_AMINO, cairnAminoResolver);
}
