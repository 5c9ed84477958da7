// What every `cairn tx registry …` and `cairn query registry …` command shares: signing registry
// messages, ABCI queries at /cairn.registry.v1.Query/<Method>, and parsing of keys and specs.
import { createProtobufRpcClient } from '@cosmjs/stargate';
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { CommandContext } from '../../context.ts';
import { CliError, UsageError } from '../../errors.ts';
import { withNode } from '../../node-client.ts';
import type { NodeConnection } from '../../node-client.ts';
import { sendWithKey } from '../../tx.ts';

/** Signs `build(sender)` with the key named by the first argument, broadcasts it and prints the result. */
export async function sendRegistryTx(ctx: CommandContext, build: (sender: string) => EncodeObject[], extraRows?: Parameters<typeof sendWithKey>[2]): Promise<void> {
  await sendWithKey(ctx, build, extraRows);
}

interface Encoder<T> {
  encode(message: T): { finish(): Uint8Array };
  fromPartial(object: never): T;
}

/** Calls /cairn.registry.v1.Query/<method> on the node. */
export async function registryQuery<Req, Res>(
  connection: NodeConnection,
  method: string,
  request: Encoder<Req>,
  response: { decode(bytes: Uint8Array): Res },
  value: Req,
): Promise<Res> {
  const rpc = createProtobufRpcClient(connection.query);
  let bytes: Uint8Array;
  try {
    bytes = await rpc.request('cairn.registry.v1.Query', method, request.encode(value).finish());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/NotFound|not found/.test(message)) throw new CliError(`${message.replace(/^Query failed with \(\d+\): /, '')}`);
    throw error;
  }
  return response.decode(bytes);
}

export async function withRegistry<T>(ctx: CommandContext, fn: (connection: NodeConnection) => Promise<T>): Promise<T> {
  return withNode(ctx.global.node, fn);
}

/** A 32-byte ed25519 public key written as 64 hex digits or base64. */
export function parseKey(text: string, what: string): Uint8Array {
  const t = text.trim();
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(t)) bytes = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/]{43}=?$/.test(t)) bytes = Buffer.from(t, 'base64');
  if (bytes === undefined || bytes.length !== 32) {
    throw new UsageError(`${what} "${text}" is not a 32-byte ed25519 public key: write it as 64 hex digits or base64`);
  }
  return new Uint8Array(bytes);
}

/** 32 bytes as 64 hex digits. */
export function parseHash(text: string, what: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new UsageError(`${what} "${text}" must be 64 hex digits (a sha256)`);
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** "k=v,k=v" into a map; unknown keys and repeats are usage errors. */
export function parseSpec(text: string, what: string, allowed: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part.trim() : part.slice(0, eq).trim();
    const value = eq < 0 ? 'true' : part.slice(eq + 1).trim();
    if (!allowed.includes(key)) throw new UsageError(`${what}: unknown field "${key}" (fields: ${allowed.join(', ')})`);
    if (out.has(key)) throw new UsageError(`${what}: "${key}" is given twice`);
    out.set(key, value);
  }
  return out;
}

/** A repeatable string flag as a list. */
export function listFlag(ctx: Pick<CommandContext, 'flags'>, name: string): string[] {
  const value = ctx.flags[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** Enum value by its short, lower-case name ("datacenter" for GPU_TIER_DATACENTER). */
export function enumByName<E extends Record<string, number>>(values: E, prefix: string, text: string, what: string): E[keyof E] {
  const wanted = `${prefix}${text.trim().toUpperCase().replace(/-/g, '_')}`;
  const names = Object.keys(values).filter((n) => n.startsWith(prefix) && !n.endsWith('_UNSPECIFIED'));
  if (!names.includes(wanted)) {
    throw new UsageError(`${what} "${text}" must be one of ${names.map((n) => shortName(n, prefix)).join(', ')}`);
  }
  return values[wanted] as E[keyof E];
}

export function shortName(name: string, prefix: string): string {
  return name.slice(prefix.length).toLowerCase().replace(/_/g, '-');
}

export function enumName(values: Record<string, number>, prefix: string, value: number): string {
  const name = Object.entries(values).find(([n, v]) => v === value && n.startsWith(prefix))?.[0];
  return name === undefined ? String(value) : shortName(name, prefix);
}
