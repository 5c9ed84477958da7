// cairn query auth account <address>
import { accountFromAny } from '@cosmjs/stargate';
import { CONSENSUS_PUBKEY_TYPE_URL } from '../../../sdk/staking/messages.ts';
import { AUTH_TYPE_URLS } from '../../../sdk/auth/messages.ts';
import { ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { arg } from '../../context.ts';
import type { CommandContext } from '../../context.ts';
import { CliError, messageOf } from '../../errors.ts';
import { checkAddress, withNode } from '../../node-client.ts';
import type { NodeConnection } from '../../node-client.ts';
import { fields } from '../../output.ts';

export interface AccountInfo {
  readonly address: string;
  /** The protobuf type of the account, e.g. /cosmos.auth.v1beta1.BaseAccount. */
  readonly type: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  /** Unset until the account's first transaction. */
  readonly pubkey: { readonly type: string; readonly key: string } | null;
  /** Module accounts only. */
  readonly moduleName?: string;
  readonly permissions?: readonly string[];
}

export class AccountNotFoundError extends CliError {
  override name = 'AccountNotFoundError';
}

// Amino pubkey types, as CosmJS decodes them, back to the protobuf type URLs the chain stores.
const PUBKEY_TYPE_URLS: Readonly<Record<string, string>> = {
  'tendermint/PubKeySecp256k1': AUTH_TYPE_URLS.Secp256k1PubKey,
  'tendermint/PubKeyEd25519': CONSENSUS_PUBKEY_TYPE_URL,
};

export async function queryAccount(connection: NodeConnection, address: string): Promise<AccountInfo> {
  checkAddress(address);
  let any;
  try {
    any = await connection.query.auth.account(address);
  } catch (error) {
    if (!/NotFound|not found/i.test(messageOf(error))) throw error;
    any = null;
  }
  if (any === null) {
    throw new AccountNotFoundError(
      `account ${address} does not exist on chain yet: an account is created when it first receives tokens`,
    );
  }
  let account;
  try {
    account = accountFromAny(any);
  } catch (error) {
    throw new CliError(`the node returned an account of type ${any.typeUrl} that this cairn cannot read: ${messageOf(error)}`);
  }
  const pubkey = account.pubkey;
  const info: AccountInfo = {
    address: account.address,
    type: any.typeUrl,
    accountNumber: account.accountNumber,
    sequence: BigInt(account.sequence),
    pubkey:
      pubkey === null
        ? null
        : { type: PUBKEY_TYPE_URLS[pubkey.type] ?? pubkey.type, key: typeof pubkey.value === 'string' ? pubkey.value : JSON.stringify(pubkey.value) },
  };
  if (any.typeUrl === AUTH_TYPE_URLS.ModuleAccount) {
    const module = ModuleAccount.decode(any.value);
    return { ...info, moduleName: module.name, permissions: module.permissions };
  }
  return info;
}

export async function run(ctx: CommandContext): Promise<void> {
  const address = checkAddress(arg(ctx, 0));
  const account = await withNode(ctx.global.node, (connection) => queryAccount(connection, address));
  ctx.print({
    json: account,
    text: () => {
      const rows: Array<[string, string]> = [
        ['address', account.address],
        ['type', account.type],
        ['account number', String(account.accountNumber)],
        ['sequence', String(account.sequence)],
        ['pubkey', account.pubkey === null ? '(none yet: set by the first transaction)' : `${account.pubkey.key} (${account.pubkey.type})`],
      ];
      if (account.moduleName !== undefined) rows.push(['module', account.moduleName]);
      if (account.permissions !== undefined) rows.push(['permissions', account.permissions.join(', ') || '(none)']);
      return fields(rows);
    },
  });
}
