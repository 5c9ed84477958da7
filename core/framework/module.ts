// The module contract. The app holds one ordered list of modules; genesis, hooks, message routing
// and queries all loop over that list, so nothing is wired invisibly.
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import type { AddressCodec } from './address.ts';
import type { Context, QueryContext } from './context.ts';
import type { KVRead } from '../store/types.ts';

export interface EncodedAny {
  readonly typeUrl: string;
  readonly value: Uint8Array;
}

/**
 * A handler's response. By the Msg service convention its type URL is the message's with "Response"
 * appended, so a handler names only the URL it registers with (from the module's client face).
 */
export function msgResponse<T>(msgTypeUrl: string, type: { encode(message: T): { finish(): Uint8Array } }, value: T): EncodedAny {
  return { typeUrl: `${msgTypeUrl}Response`, value: type.encode(value).finish() };
}

export interface MsgHandler<M = unknown> {
  /** e.g. "/cosmos.bank.v1beta1.MsgSend" */
  readonly typeUrl: string;
  decode(bytes: Uint8Array): M;
  /** Bech32 addresses that must sign, in order. */
  signers(msg: M): string[];
  /** Stateless checks, run in CheckTx and FinalizeBlock before any state is read. */
  validate(msg: M, ctx: Context): void;
  /** Stateful checks, then writes; runs on a branch that is dropped if it throws. */
  execute(msg: M, ctx: Context): Promise<EncodedAny>;
  /**
   * State keys `execute` will read that its signers' CheckTx did not (a recipient's account and
   * balances), which the node reads ahead on LevelDB's threads while the block is voted on. A hint
   * only: a key missing or extra changes how fast a block runs, never what it does. For a malformed
   * message it returns what it can (validate refuses the message later).
   */
  readAhead?(msg: M, addresses: AddressCodec): Uint8Array[];
}

/** A gRPC-style query at "/<service>/<method>" with protobuf request and response bytes. */
export type QueryHandler = (data: Uint8Array, ctx: QueryContext) => Promise<Uint8Array>;

export interface GenesisHandlers<G> {
  /** The module's section of a new genesis file. */
  defaultGenesis(): unknown;
  /** Parses and checks the JSON section (addresses against the chain's prefix); throws an Error naming the bad field. */
  validate(json: unknown, addresses: AddressCodec): G;
  /** A module that owns the validator set (staking) returns it here, for InitChain to hand to CometBFT. */
  init(genesis: G, ctx: Context): Promise<void | EndBlockResult>;
  export(ctx: QueryContext): Promise<unknown>;
}

export interface EndBlockResult {
  readonly validatorUpdates?: readonly ValidatorUpdate[];
}

export interface Module<G = unknown> {
  readonly name: string;
  readonly consensusVersion: number;
  readonly genesis: GenesisHandlers<G>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one list holds handlers of every message type
  readonly msgs: readonly MsgHandler<any>[];
  readonly queries: Readonly<Record<string, QueryHandler>>;
  /** SPEC §0 checks over committed state; each returned string describes one broken invariant. */
  invariants?(store: KVRead): Promise<string[]>;
  beginBlock?(ctx: Context): Promise<void>;
  endBlock?(ctx: Context): Promise<EndBlockResult | void>;
}

export type { Event };
