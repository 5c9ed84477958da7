// Maps one decoded Request to one framed Response: Echo and Flush here, everything else to the app.
import type { Request, Response, ResponseCheckTx, ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { encodeResponse } from './codec.ts';
import { encodeCheckTxFrame, encodeFinalizeBlockFrame } from './fast-response.ts';
import type { AbciApplication } from './types.ts';

/** The field names of the Request oneof that CometBFT v0.38 can send. */
export const REQUEST_KINDS = [
  'echo',
  'flush',
  'info',
  'initChain',
  'query',
  'checkTx',
  'commit',
  'listSnapshots',
  'offerSnapshot',
  'loadSnapshotChunk',
  'applySnapshotChunk',
  'prepareProposal',
  'processProposal',
  'extendVote',
  'verifyVoteExtension',
  'finalizeBlock',
] as const satisfies readonly (keyof Request)[];

export type RequestKind = (typeof REQUEST_KINDS)[number];

/** A request with no known oneof field (e.g. a reserved v0.34 number), or with several. */
export class UnknownRequestError extends Error {
  override name = 'UnknownRequestError';
}

/** The app threw, rejected, or returned something that cannot be encoded as its Response. */
export class AppMethodError extends Error {
  override name = 'AppMethodError';
  readonly kind: RequestKind;
  constructor(kind: RequestKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}

/**
 * Which oneof field is set. Protobuf would let the last of several win, but CometBFT never sends
 * more than one, so two set fields mean a broken peer and are rejected rather than guessed at.
 */
export function requestKind(req: Request): RequestKind {
  let found: RequestKind | undefined;
  for (const kind of REQUEST_KINDS) {
    if (req[kind] === undefined) continue;
    if (found !== undefined) throw new UnknownRequestError(`request sets both ${found} and ${kind}`);
    found = kind;
  }
  if (found === undefined) throw new UnknownRequestError('request has no known method set');
  return found;
}

/**
 * Calls the app for `req` and returns the framed Response, ready to write. Anything that goes wrong
 * on the app's side (a throw, a rejection, a missing or unencodable result) becomes `AppMethodError`.
 */
export async function answer(app: AbciApplication, kind: RequestKind, req: Request): Promise<Uint8Array> {
  let res: unknown;
  try {
    res = await callApp(app, kind, req);
  } catch (err) {
    throw new AppMethodError(kind, `${kind} threw: ${messageOf(err)}`, { cause: err });
  }
  if (res === null || typeof res !== 'object') {
    throw new AppMethodError(kind, `${kind} returned ${res === null ? 'null' : typeof res}, not a response`);
  }
  try {
    // The two responses of every tx have their own encoder (fast-response.ts); the same bytes.
    if (kind === 'checkTx') return encodeCheckTxFrame(res as ResponseCheckTx);
    if (kind === 'finalizeBlock') return encodeFinalizeBlockFrame(res as ResponseFinalizeBlock);
    return encodeResponse({ [kind]: res } as Response);
  } catch (err) {
    throw new AppMethodError(kind, `${kind} returned a response that cannot be encoded: ${messageOf(err)}`, {
      cause: err,
    });
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// The non-null assertions are safe: `kind` came from `requestKind(req)`.
async function callApp(app: AbciApplication, kind: RequestKind, req: Request): Promise<unknown> {
  switch (kind) {
    case 'echo':
      return { message: req.echo!.message };
    case 'flush':
      return {};
    case 'info':
      return app.info(req.info!);
    case 'initChain':
      return app.initChain(req.initChain!);
    case 'query':
      return app.query(req.query!);
    case 'checkTx':
      return app.checkTx(req.checkTx!);
    case 'commit':
      return app.commit(req.commit!);
    case 'listSnapshots':
      return app.listSnapshots(req.listSnapshots!);
    case 'offerSnapshot':
      return app.offerSnapshot(req.offerSnapshot!);
    case 'loadSnapshotChunk':
      return app.loadSnapshotChunk(req.loadSnapshotChunk!);
    case 'applySnapshotChunk':
      return app.applySnapshotChunk(req.applySnapshotChunk!);
    case 'prepareProposal':
      return app.prepareProposal(req.prepareProposal!);
    case 'processProposal':
      return app.processProposal(req.processProposal!);
    case 'extendVote':
      return app.extendVote(req.extendVote!);
    case 'verifyVoteExtension':
      return app.verifyVoteExtension(req.verifyVoteExtension!);
    case 'finalizeBlock':
      return app.finalizeBlock(req.finalizeBlock!);
  }
}
