// Talking to a node through CosmJS, with failures turned into messages a person can act on.
import { QueryClient, setupAuthExtension, setupBankExtension, StargateClient } from '@cosmjs/stargate';
import type { AuthExtension, BankExtension } from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { ADDRESS_PREFIX } from '../sdk/chain.ts';
import { decodeBech32 } from '../core/framework/address.ts';
import { CliError, messageOf } from './errors.ts';

export type ChainQueryClient = QueryClient & AuthExtension & BankExtension;

/** An open connection to a node's CometBFT RPC. */
export interface NodeConnection {
  readonly node: string;
  readonly comet: CometClient;
  readonly stargate: StargateClient;
  readonly query: ChainQueryClient;
  disconnect(): void;
}

export class NodeUnreachableError extends CliError {
  override name = 'NodeUnreachableError';
}
export class ChainIdMismatchError extends CliError {
  override name = 'ChainIdMismatchError';
}
export class InvalidAddressError extends CliError {
  override name = 'InvalidAddressError';
}

/** How long to wait for the node to answer the first status request. */
export const CONNECT_TIMEOUT_MS = 15_000;

export async function connectNode(node: string): Promise<NodeConnection> {
  let comet: CometClient;
  try {
    comet = await withTimeout(connectComet(node), CONNECT_TIMEOUT_MS, `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`);
  } catch (error) {
    throw nodeError(node, error);
  }
  return {
    node,
    comet,
    stargate: StargateClient.create(comet),
    query: QueryClient.withExtensions(comet, setupAuthExtension, setupBankExtension),
    disconnect: () => comet.disconnect(),
  };
}

/** Runs `fn` with a connection and always closes it. */
export async function withNode<T>(node: string, fn: (connection: NodeConnection) => Promise<T>): Promise<T> {
  const connection = await connectNode(node);
  try {
    return await fn(connection);
  } catch (error) {
    throw nodeError(node, error);
  } finally {
    connection.disconnect();
  }
}

/** The node's chain id; with --chain-id given, checks that the node serves that chain. */
export async function resolveChainId(connection: NodeConnection, expected: string | undefined): Promise<string> {
  const actual = await connection.stargate.getChainId();
  if (expected !== undefined && expected !== actual) {
    throw new ChainIdMismatchError(
      `the node at ${connection.node} serves chain '${actual}', not '${expected}': fix --chain-id or point --node at a node of ${expected}`,
    );
  }
  return actual;
}

/** Turns a transport failure into "cannot reach the node"; leaves CliErrors alone. */
export function nodeError(node: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (isUnreachable(error)) {
    return new NodeUnreachableError(
      `cannot reach the node at ${node}: is \`cairn start\` running? Use --node to point elsewhere`,
      { cause: error },
    );
  }
  const message = messageOf(error);
  const status = /^Bad status on response: (\d+)/.exec(message);
  if (status) {
    return new NodeUnreachableError(
      `the server at ${node} answered HTTP ${status[1]}, not like a CometBFT RPC: check --node (the RPC listens on port 26657 by default)`,
      { cause: error },
    );
  }
  if (error instanceof SyntaxError || /JSON|jsonrpc/i.test(message)) {
    return new NodeUnreachableError(`the server at ${node} did not answer like a CometBFT RPC (${message}): check --node`, { cause: error });
  }
  return new CliError(`the node at ${node} reported an error: ${message}`, { cause: error });
}

/** Checks a bech32 account address with the chain's prefix. */
export function checkAddress(address: string, what = 'address'): string {
  let decoded: ReturnType<typeof decodeBech32>;
  try {
    decoded = decodeBech32(address);
  } catch (error) {
    throw new InvalidAddressError(`${what} "${address}" is not a valid bech32 address (${messageOf(error)}): it looks like ${ADDRESS_PREFIX}1…`);
  }
  if (decoded.prefix !== ADDRESS_PREFIX) {
    throw new InvalidAddressError(`${what} "${address}" has prefix '${decoded.prefix}'; Cairn addresses start with ${ADDRESS_PREFIX}1`);
  }
  if (decoded.data.length !== 20 && decoded.data.length !== 32) {
    throw new InvalidAddressError(`${what} "${address}" holds ${decoded.data.length} bytes; an account address holds 20 (or 32 for a module)`);
  }
  return address;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

function isUnreachable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    const message = current instanceof Error ? current.message : '';
    if (current instanceof TimeoutError || message === 'fetch failed' || /socket hang up|ECONNREFUSED/.test(message)) return true;
    if (current instanceof Error && current.name === 'TimeoutError') return true;
    if (Array.isArray((current as { errors?: unknown }).errors)) {
      if (((current as { errors: unknown[] }).errors).some(isUnreachable)) return true;
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return false;
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
