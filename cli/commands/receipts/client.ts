// What the receipts commands share: signing receipts-module messages and querying
// /cairn.receipts.v1.Query/<Method> (and the royalty and registry queries they need).
import type { EncodeObject, GeneratedType } from '@cosmjs/proto-signing';
import { createProtobufRpcClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { receiptsTypes } from '../../../modules/receipts/cosmjs.ts';
import { arg, type CommandContext } from '../../context.ts';
import { CliError } from '../../errors.ts';
import { connectNode, nodeError, type NodeConnection, withNode } from '../../node-client.ts';
import { broadcastOptionsFromFlags, feeChoiceFromFlags, signAndBroadcast, TxFailedError, type TxResult, txResultPrintable } from '../../tx.ts';

/** Adds the receipts message types to the list cli/tx.ts signs with (see registry/client.ts). */
export function ensureReceiptsTypes(): void {
  const list = defaultRegistryTypes as Array<[string, GeneratedType]>;
  for (const entry of receiptsTypes) if (!list.some(([url]) => url === entry[0])) list.push(entry);
}

/** Signs `build(sender)` with the key named by the first argument and broadcasts; throws on failure. */
export async function sendReceiptsTx(ctx: CommandContext, build: (sender: string) => EncodeObject[], extra: (r: TxResult) => Array<[string, string]> = () => []): Promise<TxResult> {
  const fee = feeChoiceFromFlags(ctx);
  const options = broadcastOptionsFromFlags(ctx);
  const keyring = await ctx.keyring();
  const key = await keyring.show(arg(ctx, 0));
  const messages = build(key.address);
  ensureReceiptsTypes();
  const connection = await connectNode(ctx.global.node);
  try {
    const result = await signAndBroadcast(connection, await keyring.signer(key.name), key.address, messages, fee, options);
    ctx.print(txResultPrintable(result, result.code === 0 ? extra(result) : []));
    if (result.code !== 0) throw new TxFailedError(result);
    return result;
  } catch (error) {
    throw nodeError(ctx.global.node, error);
  } finally {
    connection.disconnect();
  }
}

/** An attribute of the first event of `type` in a tx result. */
export function eventAttribute(r: TxResult, type: string, key: string): string | undefined {
  return r.events.find((e) => e.type === type)?.attributes.find((a) => a.key === key)?.value;
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
