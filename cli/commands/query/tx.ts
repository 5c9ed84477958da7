// cairn query tx <hash>
import { fromHex } from '@cosmjs/encoding';
import { decodeTxRaw } from '@cosmjs/proto-signing';
import { coinFromChain } from '../../amount.ts';
import { arg } from '../../context.ts';
import type { CommandContext } from '../../context.ts';
import { CliError, messageOf, UsageError } from '../../errors.ts';
import { withNode } from '../../node-client.ts';
import type { NodeConnection } from '../../node-client.ts';
import { TX_INDEX_OFF_HINT, txIndexOff, txResultPrintable } from '../../tx.ts';
import type { TxResult } from '../../tx.ts';

export interface IndexedTxInfo extends TxResult {
  readonly memo: string;
  /** Type URLs of the messages, in order. */
  readonly messages: readonly string[];
}

export class TxNotFoundError extends CliError {
  override name = 'TxNotFoundError';
}

export async function queryTx(connection: NodeConnection, hash: string): Promise<IndexedTxInfo> {
  const normalized = checkHash(hash);
  let response;
  try {
    response = await connection.comet.tx({ hash: fromHex(normalized) });
  } catch (error) {
    if (/not found/i.test(messageOf(error))) {
      throw new TxNotFoundError(
        `no transaction ${normalized} on the node at ${connection.node}: it is not in a block yet, or the hash is wrong (the node must index txs: indexer = "kv")`,
      );
    }
    if (txIndexOff(error)) throw new CliError(`cannot look up ${normalized} on the node at ${connection.node}: ${TX_INDEX_OFF_HINT}`);
    throw error;
  }
  const decoded = decodeTxRaw(response.tx);
  const fee = decoded.authInfo.fee;
  return {
    txhash: normalized,
    code: response.result.code,
    codespace: response.result.codespace ?? '',
    height: response.height,
    gasWanted: response.result.gasWanted,
    gasUsed: response.result.gasUsed,
    log: response.result.log ?? '',
    fee: { amount: (fee?.amount ?? []).map(coinFromChain), gas: fee?.gasLimit ?? 0n },
    events: response.result.events.map((event) => ({
      type: event.type,
      attributes: event.attributes.map(({ key, value }) => ({ key, value })),
    })),
    rejectedAtCheckTx: false,
    memo: decoded.body.memo,
    messages: decoded.body.messages.map((message) => message.typeUrl),
  };
}

export async function run(ctx: CommandContext): Promise<void> {
  const hash = checkHash(arg(ctx, 0));
  const info = await withNode(ctx.global.node, (connection) => queryTx(connection, hash));
  const base = txResultPrintable(info, [
    ['memo', info.memo === '' ? '(none)' : info.memo],
    ['messages', info.messages.join(', ')],
  ]);
  ctx.print({ json: { ...(base.json as Record<string, unknown>), memo: info.memo, messages: info.messages }, text: base.text });
}

function checkHash(hash: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(hash)) {
    throw new UsageError(`"${hash}" is not a transaction hash: a hash is 64 hex characters, as printed by \`cairn tx …\``);
  }
  return hash.toUpperCase();
}
