// The application side of the ABCI 2.0 (CometBFT v0.38) socket protocol.
//
// The server decodes each framed `tendermint.abci.Request`, calls exactly one of these methods and
// writes the matching `Response` in request order. Echo and Flush are answered by the server itself.
// A method that throws is a bug in the application: the server logs it and closes that connection
// (CometBFT then stops, which is the safe outcome for consensus requests).
import type {
  RequestApplySnapshotChunk,
  RequestCheckTx,
  RequestCommit,
  RequestExtendVote,
  RequestFinalizeBlock,
  RequestInfo,
  RequestInitChain,
  RequestListSnapshots,
  RequestLoadSnapshotChunk,
  RequestOfferSnapshot,
  RequestPrepareProposal,
  RequestProcessProposal,
  RequestQuery,
  RequestVerifyVoteExtension,
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
  ResponseQuery,
  ResponseVerifyVoteExtension,
} from 'cosmjs-types/tendermint/abci/types';

export interface AbciApplication {
  // query connection
  info(req: RequestInfo): Promise<ResponseInfo>;
  query(req: RequestQuery): Promise<ResponseQuery>;
  // mempool connection
  checkTx(req: RequestCheckTx): Promise<ResponseCheckTx>;
  // consensus connection
  initChain(req: RequestInitChain): Promise<ResponseInitChain>;
  prepareProposal(req: RequestPrepareProposal): Promise<ResponsePrepareProposal>;
  processProposal(req: RequestProcessProposal): Promise<ResponseProcessProposal>;
  finalizeBlock(req: RequestFinalizeBlock): Promise<ResponseFinalizeBlock>;
  extendVote(req: RequestExtendVote): Promise<ResponseExtendVote>;
  verifyVoteExtension(req: RequestVerifyVoteExtension): Promise<ResponseVerifyVoteExtension>;
  commit(req: RequestCommit): Promise<ResponseCommit>;
  // snapshot connection
  listSnapshots(req: RequestListSnapshots): Promise<ResponseListSnapshots>;
  offerSnapshot(req: RequestOfferSnapshot): Promise<ResponseOfferSnapshot>;
  loadSnapshotChunk(req: RequestLoadSnapshotChunk): Promise<ResponseLoadSnapshotChunk>;
  applySnapshotChunk(req: RequestApplySnapshotChunk): Promise<ResponseApplySnapshotChunk>;
}
