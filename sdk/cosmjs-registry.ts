// Every message type a Cairn client signs, for a CosmJS Registry: the Cosmos SDK's defaults,
// slashing's MsgUnjail (not among CosmJS's defaults) and Cairn's own modules' faces. Used by the CLI,
// the node's own signers (the watcher's challenges and forgery reports, availability reports) and tests.
import { Registry } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { MsgUnjail } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { emissionTypes } from './emission/messages.ts';
import { receiptsTypes } from './receipts/messages.ts';
import { registryTypes } from './registry/messages.ts';
import { royaltyTypes } from './royalty/messages.ts';

/** A new Registry of every type (a Registry is mutable: each client gets its own). */
export function cairnRegistry(): Registry {
  return new Registry([...defaultRegistryTypes, [MsgUnjail.typeUrl, MsgUnjail], ...registryTypes, ...receiptsTypes, ...royaltyTypes, ...emissionTypes]);
}
