// A scriptable AbciApplication for tests of the server and of tools that talk ABCI.
// It echoes inputs back so ordering can be checked, and it detects re-entrant calls.
import {
  ResponseApplySnapshotChunk,
  ResponseCheckTx,
  ResponseCommit,
  ResponseExtendVote,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseListSnapshots,
  ResponseLoadSnapshotChunk,
  ResponseOfferSnapshot,
  ResponsePrepareProposal,
  ResponseProcessProposal,
  ResponseProcessProposal_ProposalStatus,
  ResponseQuery,
  ResponseVerifyVoteExtension,
  ResponseVerifyVoteExtension_VerifyStatus,
  type RequestApplySnapshotChunk,
  type RequestCheckTx,
  type RequestCommit,
  type RequestExtendVote,
  type RequestFinalizeBlock,
  type RequestInfo,
  type RequestInitChain,
  type RequestListSnapshots,
  type RequestLoadSnapshotChunk,
  type RequestOfferSnapshot,
  type RequestPrepareProposal,
  type RequestProcessProposal,
  type RequestQuery,
  type RequestVerifyVoteExtension,
} from 'cosmjs-types/tendermint/abci/types';
import type { AbciApplication } from '../../node/abci/types.ts';

export class ReentrantCallError extends Error {
  override name = 'ReentrantCallError';
}

export interface FakeAppOptions {
  /** Event-loop turns each call waits before answering, to give interleaving a chance. */
  readonly yields?: number;
  /** Method names that throw instead of answering. */
  readonly failing?: readonly string[];
}

export class FakeApp implements AbciApplication {
  /** Method names in call order. */
  readonly calls: string[] = [];
  /** Set if a call started while another was still running. */
  reentered = false;
  #active = 0;
  #yields: number;
  #failing: Set<string>;
  #gate: Promise<void> | undefined;
  #openGate: (() => void) | undefined;

  constructor(opts: FakeAppOptions = {}) {
    this.#yields = opts.yields ?? 0;
    this.#failing = new Set(opts.failing ?? []);
  }

  /** Every call from now on waits until `open()` is called. */
  close(): void {
    this.#gate = new Promise((resolve) => (this.#openGate = resolve));
  }

  open(): void {
    this.#openGate?.();
    this.#gate = undefined;
  }

  info(_req: RequestInfo): Promise<ResponseInfo> {
    return this.#call('info', () =>
      ResponseInfo.fromPartial({ data: 'fake', version: '0.0.0', lastBlockHeight: 7n, lastBlockAppHash: new Uint8Array([1, 2]) }),
    );
  }

  query(req: RequestQuery): Promise<ResponseQuery> {
    return this.#call('query', () => ResponseQuery.fromPartial({ key: req.data, value: req.data, height: req.height }));
  }

  checkTx(req: RequestCheckTx): Promise<ResponseCheckTx> {
    return this.#call('checkTx', () => ResponseCheckTx.fromPartial({ code: 0, data: req.tx, gasWanted: 1n }));
  }

  initChain(_req: RequestInitChain): Promise<ResponseInitChain> {
    return this.#call('initChain', () => ResponseInitChain.fromPartial({ appHash: new Uint8Array(32) }));
  }

  prepareProposal(req: RequestPrepareProposal): Promise<ResponsePrepareProposal> {
    return this.#call('prepareProposal', () => ResponsePrepareProposal.fromPartial({ txs: req.txs }));
  }

  processProposal(_req: RequestProcessProposal): Promise<ResponseProcessProposal> {
    return this.#call('processProposal', () =>
      ResponseProcessProposal.fromPartial({ status: ResponseProcessProposal_ProposalStatus.ACCEPT }),
    );
  }

  finalizeBlock(req: RequestFinalizeBlock): Promise<ResponseFinalizeBlock> {
    return this.#call('finalizeBlock', () =>
      ResponseFinalizeBlock.fromPartial({ txResults: req.txs.map(() => ({ code: 0 })), appHash: new Uint8Array(32) }),
    );
  }

  extendVote(_req: RequestExtendVote): Promise<ResponseExtendVote> {
    return this.#call('extendVote', () => ResponseExtendVote.fromPartial({}));
  }

  verifyVoteExtension(_req: RequestVerifyVoteExtension): Promise<ResponseVerifyVoteExtension> {
    return this.#call('verifyVoteExtension', () =>
      ResponseVerifyVoteExtension.fromPartial({ status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT }),
    );
  }

  commit(_req: RequestCommit): Promise<ResponseCommit> {
    return this.#call('commit', () => ResponseCommit.fromPartial({}));
  }

  listSnapshots(_req: RequestListSnapshots): Promise<ResponseListSnapshots> {
    return this.#call('listSnapshots', () => ResponseListSnapshots.fromPartial({ snapshots: [] }));
  }

  offerSnapshot(_req: RequestOfferSnapshot): Promise<ResponseOfferSnapshot> {
    return this.#call('offerSnapshot', () => ResponseOfferSnapshot.fromPartial({ result: 2 }));
  }

  loadSnapshotChunk(_req: RequestLoadSnapshotChunk): Promise<ResponseLoadSnapshotChunk> {
    return this.#call('loadSnapshotChunk', () => ResponseLoadSnapshotChunk.fromPartial({}));
  }

  applySnapshotChunk(_req: RequestApplySnapshotChunk): Promise<ResponseApplySnapshotChunk> {
    return this.#call('applySnapshotChunk', () => ResponseApplySnapshotChunk.fromPartial({ result: 2 }));
  }

  async #call<T>(method: string, make: () => T): Promise<T> {
    if (this.#active > 0) {
      this.reentered = true;
      throw new ReentrantCallError(`${method} called while another call is running`);
    }
    this.#active++;
    try {
      this.calls.push(method);
      for (let i = 0; i < this.#yields; i++) await new Promise((r) => setImmediate(r));
      if (this.#gate !== undefined) await this.#gate;
      if (this.#failing.has(method)) throw new Error(`fake ${method} failure`);
      return make();
    } finally {
      this.#active--;
    }
  }
}
