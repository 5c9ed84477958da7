// One CosmJS Registry of every type the module faces name: the messages Cairn's handlers accept
// (Cosmos bank, staking, distribution, slashing, gov, consensus, upgrade, feegrant, authz; Cairn's registry, receipts, royalty, emission) and
// auth's account types. Used by the CLI, the node's own signers (the watcher's challenges and
// forgery reports, availability reports), wallets and tests.
import { Registry } from '@cosmjs/proto-signing';
// Loaded for its effect: every 64-bit integer that cosmjs-types encodes round-trips.
import '../proto/cosmjs-int64.ts';
import { authTypes } from './auth/messages.ts';
import { bankTypes } from './bank/messages.ts';
import { consensusTypes } from './consensus/messages.ts';
import { distributionTypes } from './distribution/messages.ts';
import { emissionTypes } from './emission/messages.ts';
import { feegrantTypes } from './feegrant/messages.ts';
import { authzTypes } from './authz/messages.ts';
import { govTypes } from './gov/messages.ts';
import { receiptsTypes } from './receipts/messages.ts';
import { registryTypes } from './registry/messages.ts';
import { royaltyTypes } from './royalty/messages.ts';
import { slashingTypes } from './slashing/messages.ts';
import { stakingTypes } from './staking/messages.ts';
import { upgradeTypes } from './upgrade/messages.ts';

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
    ...govTypes,
    ...registryTypes,
    ...receiptsTypes,
    ...royaltyTypes,
    ...emissionTypes,
  ]);
}
