// One transaction, start to finish: ante on a branch, then the messages on a branch of that, so a
// failing message rolls back its own writes but keeps the fee and sequence (as in the SDK).
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { branch } from '../store/branch.ts';
import type { KVStore } from '../store/types.ts';
import type { AddressCodec } from '../framework/address.ts';
import type { BlockInfo, Context, ExecMode } from '../framework/context.ts';
import { AppError, INTERNAL_CODE } from '../framework/errors.ts';
import { DiscardedEvents, EventSink } from '../framework/events.ts';
import { GasKVStore, GasMeter, UNLIMITED_GAS } from '../framework/gas.ts';
import type { DecodedTx } from './decode.ts';

export interface TxResult {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly data: Uint8Array;
  readonly gasWanted: bigint;
  readonly gasUsed: bigint;
  readonly events: Event[];
  readonly msgResponses: Any[];
}

export type AnteHandler = (tx: DecodedTx, ctx: Context) => Promise<void>;

export interface TxEnv {
  /** decodeTx with the app's decoding setup (the app may answer from its cache of decoded txs). @throws what decodeTx throws. */
  readonly decode: (bytes: Uint8Array, mode: ExecMode) => DecodedTx;
  /** The checks before any message runs (auth's fees, signatures and sequences); it throws to refuse. */
  readonly ante: AnteHandler;
  readonly addresses: AddressCodec;
  /** Called with unexpected (non-AppError) failures so the node can log them. */
  readonly onInternalError: (err: unknown, where: string) => void;
}

/** Runs `bytes` against `parent`; on success (or a message failure) the ante writes reach `parent`. */
export async function runTx(bytes: Uint8Array, parent: KVStore, block: BlockInfo, mode: ExecMode, env: TxEnv): Promise<TxResult> {
  let tx: DecodedTx;
  try {
    tx = env.decode(bytes, mode);
  } catch (err) {
    return failure(err, 0n, 0n, [], env);
  }
  const gasWanted = mode === 'simulate' ? UNLIMITED_GAS : tx.authInfo.fee!.gasLimit;
  const gas = new GasMeter(gasWanted);
  const anteBranch = branch(parent);
  // A CheckTx, new or re, answers with no events, as the SDK's baseapp does (v0.50 adds the ante's
  // events to a result only when finalizing or simulating): CometBFT's mempool reads the code and
  // gas, and formatting, encoding and decoding the events was work for nobody.
  const checking = mode === 'check' || mode === 'recheck';
  const anteEvents = checking ? new DiscardedEvents() : new EventSink();
  const anteCtx = context(anteBranch, gas, anteEvents, block, mode, env);
  try {
    for (const m of tx.msgs) m.handler.validate(m.msg, anteCtx);
    await env.ante(tx, anteCtx);
  } catch (err) {
    return failure(err, gasWanted, gas.used, [], env);
  }
  anteBranch.write();
  if (checking) {
    return { code: 0, codespace: '', log: '', data: new Uint8Array(), gasWanted, gasUsed: gas.used, events: [], msgResponses: [] };
  }

  const msgBranch = branch(parent);
  const msgEvents = new EventSink();
  const responses: Any[] = [];
  try {
    for (const [index, m] of tx.msgs.entries()) {
      const sink = new EventSink();
      const ctx = context(msgBranch, gas, sink, block, mode, env);
      const response = await m.handler.execute(m.msg, ctx);
      responses.push({ typeUrl: response.typeUrl, value: response.value });
      msgEvents.emit('message', { action: m.typeUrl, sender: m.handler.signers(m.msg)[0] ?? '', module: moduleOf(m.typeUrl), msg_index: String(index) });
      // SDK 0.50 tags every event of a message with the message's index in the tx.
      const tag = { key: 'msg_index', value: String(index), index: true };
      msgEvents.append(sink.events.map((e) => ({ ...e, attributes: [...e.attributes, tag] })));
    }
  } catch (err) {
    return failure(err, gasWanted, gas.used, anteEvents.events, env);
  }
  msgBranch.write();
  return {
    code: 0,
    codespace: '',
    log: '',
    data: TxMsgData.encode({ data: [], msgResponses: responses }).finish(),
    gasWanted,
    gasUsed: gas.used,
    events: [...anteEvents.events, ...msgEvents.events],
    msgResponses: responses,
  };
}

function context(store: KVStore, gas: GasMeter, events: EventSink, block: BlockInfo, mode: ExecMode, env: TxEnv): Context {
  return { store: new GasKVStore(store, gas), gas, events, block, mode, addresses: env.addresses };
}

function failure(err: unknown, gasWanted: bigint, gasUsed: bigint, events: Event[], env: TxEnv): TxResult {
  const empty = { data: new Uint8Array(), gasWanted, gasUsed, events, msgResponses: [] };
  if (err instanceof AppError) return { code: err.code, codespace: err.codespace, log: err.message, ...empty };
  env.onInternalError(err, 'tx');
  return { code: INTERNAL_CODE, codespace: 'sdk', log: 'internal error', ...empty };
}

/** "/cosmos.bank.v1beta1.MsgSend" → "bank"; "/cairn.registry.v1.MsgX" → "registry" (the SDK's rule). */
export function moduleOf(typeUrl: string): string {
  const parts = typeUrl.replace(/^\//, '').split('.');
  return (parts[0] === 'cosmos' || parts[0] === 'cairn' ? parts[1] : parts[0]) ?? '';
}
