// cairn tx bank send <from-key> <to-address> <amount> [fee and broadcast flags]
import type { OfflineDirectSigner } from '@cosmjs/proto-signing';
import { bankMsgs } from '../../../sdk/bank/messages.ts';
import { coinToChain, parseCoins } from '../../amount.ts';
import type { Coin } from '../../amount.ts';
import { arg } from '../../context.ts';
import type { CommandContext } from '../../context.ts';
import { CliError } from '../../errors.ts';
import { checkAddress, connectNode, nodeError } from '../../node-client.ts';
import type { NodeConnection } from '../../node-client.ts';
import { broadcastOptionsFromFlags, feeChoiceFromFlags, signAndBroadcast, TxFailedError, txResultPrintable } from '../../tx.ts';
import type { BroadcastOptions, FeeChoice, TxResult } from '../../tx.ts';

export interface BankSendParams {
  readonly signer: OfflineDirectSigner;
  /** The sender; must be one of the signer's accounts. Default: its first account. */
  readonly from?: string;
  readonly to: string;
  readonly amount: readonly Coin[];
  readonly fee: FeeChoice;
  readonly options?: BroadcastOptions;
}

/** Sends `amount` with a MsgSend; resolves with the result whatever its code. */
export async function bankSend(connection: NodeConnection, params: BankSendParams): Promise<TxResult> {
  const accounts = await params.signer.getAccounts();
  const from = params.from ?? accounts[0]?.address;
  if (from === undefined || !accounts.some((account) => account.address === from)) {
    throw new CliError(`the signer holds no key for ${from ?? 'any address'}`);
  }
  const message = bankMsgs.MsgSend({ fromAddress: from, toAddress: checkAddress(params.to, 'recipient'), amount: params.amount.map(coinToChain) });
  return signAndBroadcast(connection, params.signer, from, [message], params.fee, params.options ?? {});
}

export async function run(ctx: CommandContext): Promise<void> {
  const fromKey = arg(ctx, 0);
  const to = checkAddress(arg(ctx, 1), 'recipient');
  const amount = parseCoins(arg(ctx, 2));
  const fee = feeChoiceFromFlags(ctx);
  const options = broadcastOptionsFromFlags(ctx);
  if (fee.gas !== 'auto' && ctx.flags['gas-adjustment'] !== undefined) ctx.warn('--gas-adjustment only applies with --gas auto');
  const keyring = await ctx.keyring();
  const key = await keyring.show(fromKey);
  // Reach the node before asking for a passphrase that would be wasted.
  const connection = await connectNode(ctx.global.node);
  try {
    const signer = await keyring.signer(key.name);
    const result = await bankSend(connection, { signer, from: key.address, to, amount, fee, options });
    ctx.print(txResultPrintable(result));
    if (result.code !== 0) throw new TxFailedError(result);
  } catch (error) {
    throw nodeError(ctx.global.node, error);
  } finally {
    connection.disconnect();
  }
}
