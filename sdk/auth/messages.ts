// The Cosmos auth module's client face. Cairn's auth handles no message of its own; what a client
// meets of it are the Any types of accounts (the Account query) and of the secp256k1 keys that sign
// transactions. The only place their type URLs are spelled.
import { BaseAccount, ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import type { GeneratedType } from '@cosmjs/proto-signing';

export const AUTH_TYPE_URLS = {
  BaseAccount: '/cosmos.auth.v1beta1.BaseAccount',
  ModuleAccount: '/cosmos.auth.v1beta1.ModuleAccount',
  /** The only account key type Cairn accepts. */
  Secp256k1PubKey: '/cosmos.crypto.secp256k1.PubKey',
} as const;

/** For decoding the Anys of account queries with a CosmJS Registry. */
export const authTypes: ReadonlyArray<[string, GeneratedType]> = [
  [AUTH_TYPE_URLS.BaseAccount, BaseAccount],
  [AUTH_TYPE_URLS.ModuleAccount, ModuleAccount],
  [AUTH_TYPE_URLS.Secp256k1PubKey, PubKey],
];
