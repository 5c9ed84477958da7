// What the receipts commands share: signing receipts-module messages and querying
// /cairn.receipts.v1.Query/<Method> (and the royalty and registry queries they need).
import type { EncodeObject } from '@cosmjs/proto-signing';
import { createProtobufRpcClient } from '@cosmjs/stargate';
import type { CommandContext } from '../../context.ts';
import { CliError } from '../../errors.ts';
import { type NodeConnection, withNode } from '../../node-client.ts';
import { sendWithKey, type TxResult } from '../../tx.ts';

/** Signs `build(sender)` with the key named by the first argument and broadcasts; throws on failure. */
export function sendReceiptsTx(ctx: CommandContext, build: (sender: string) => EncodeObject[], extra: (r: TxResult) => Array<[string, string]> = () => []): Promise<TxResult> {
  return sendWithKey(ctx, build, extra);
}


interface Encoder<T> {
  encode(message: T): { finish(): Uint8Array };
}

export async function moduleQuery<Req, Res>(connection: NodeConnection, service: string, method: string, request: Encoder<Req>, response: { decode(b: Uint8Array): Res }, value: Req): Promise<Res> {
  const rpc = createProtobufRpcClient(connection.query);
  try {
    return response.decode(await rpc.request(service, method, request.encode(value).finish()));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/not found|has not ended|has no /i.test(message)) throw new CliError(message.replace(/^Query failed with \(\d+\): /, ''));
    throw error;
  }
}

export function withChain<T>(ctx: CommandContext, fn: (c: NodeConnection) => Promise<T>): Promise<T> {
  return withNode(ctx.global.node, fn);
}

export function parseId(text: string, what: string): bigint {
  if (!/^\d{1,20}$/.test(text) || BigInt(text) >= 2n ** 64n) throw new CliError(`${what} "${text}" must be a non-negative integer`);
  return BigInt(text);
}
