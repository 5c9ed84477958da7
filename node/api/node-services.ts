// The query services the node answers itself, as the SDK serves them from its client context rather
// than the app: cosmos.tx.v1beta1.Service (GetTx, GetTxsEvent, BroadcastTx; Simulate goes to the
// app) and cosmos.base.tendermint.v1beta1.Service (node info, syncing, blocks, validator sets,
// ABCIQuery), each read from this node's CometBFT RPC (its tx index and block store) and answered
// with the same protobuf types as the SDK.
import { toBech32 } from '@cosmjs/encoding';
import * as tm from 'cosmjs-types/cosmos/base/tendermint/v1beta1/query';
import type { Block as SdkBlock } from 'cosmjs-types/cosmos/base/tendermint/v1beta1/types';
import { type TxResponse } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import * as txs from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { BroadcastMode, OrderBy } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Event, RequestQuery, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { Commit, Header } from 'cosmjs-types/tendermint/types/types';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { pageList } from '../../core/framework/page-list.ts';
import { rpcCall } from '../cometbft/rpc.ts';
import { CometbftRpcError } from '../cometbft/errors.ts';
import { ApiError, Code } from './status.ts';
import { committedTxResponse } from './tx-response.ts';
import { SOFTWARE_VERSION } from '../version.ts';

export interface NodeServicesOptions {
  /** This node's CometBFT RPC, e.g. http://127.0.0.1:26657. */
  readonly rpcUrl: string;
  /** Bech32 prefix of consensus addresses (cairnvalcons). */
  readonly consensusPrefix: string;
  /** The app's ABCI query, for the tendermint service's ABCIQuery. */
  readonly abciQuery: (req: RequestQuery) => Promise<ResponseQuery>;
  readonly timeoutMs: number;
}

type Handler = (data: Uint8Array, signal: AbortSignal) => Promise<Uint8Array>;

/** CometBFT's tx_search caps a page at 100 results. */
const MAX_TX_PAGE = 100n;

export function nodeServices(o: NodeServicesOptions): ReadonlyMap<string, Handler> {
  const rpc = async <T>(method: string, params: Record<string, unknown>, signal: AbortSignal): Promise<T> => {
    try {
      return (await rpcCall(o.rpcUrl, method, params, { signal, timeoutMs: o.timeoutMs })) as T;
    } catch (err) {
      throw rpcError(err);
    }
  };
  const valcons = (hex: string): string => toBech32(o.consensusPrefix, Buffer.from(hex, 'hex'));

  const txResponse = async (r: RawTx, signal: AbortSignal): Promise<{ tx: Tx; txResponse: TxResponse }> => {
    const header = await rpc<{ header: RawHeader }>('header', { height: r.height }, signal);
    const t = r.tx_result;
    return committedTxResponse({
      height: BigInt(r.height),
      hash: r.hash,
      bytes: Buffer.from(r.tx, 'base64'),
      time: header.header.time,
      result: {
        codespace: t.codespace ?? '',
        code: t.code ?? 0,
        data: Buffer.from(t.data ?? '', 'base64'),
        log: t.log ?? '',
        info: t.info ?? '',
        gasWanted: BigInt(t.gas_wanted ?? '0'),
        gasUsed: BigInt(t.gas_used ?? '0'),
        events: (t.events ?? []).map(event),
      },
    });
  };

  const block = async (height: bigint | undefined, signal: AbortSignal) => {
    if (height !== undefined && height <= 0n) throw new ApiError(Code.InvalidArgument, 'requested block height must be positive');
    const raw = await rpc<{ block_id: RawBlockId; block: RawBlock }>('block', height === undefined ? {} : { height: height.toString() }, signal);
    const b = tmBlock(raw.block);
    const sdkBlock: SdkBlock = { ...b, header: { ...b.header, proposerAddress: valcons(raw.block.header.proposer_address) } };
    return { blockId: blockId(raw.block_id), block: b, sdkBlock };
  };

  const validatorSet = async (height: bigint | undefined, page: tm.GetLatestValidatorSetRequest['pagination'], signal: AbortSignal) => {
    if (height !== undefined && height <= 0n) throw new ApiError(Code.InvalidArgument, 'requested block height must be positive');
    const all: tm.Validator[] = [];
    let blockHeight: bigint;
    // CometBFT pages by 100; the whole set is read (at most a few hundred) and paged here.
    for (let p = 1; ; p++) {
      const r = await rpc<{ block_height: string; validators: RawValidator[]; total: string }>('validators', { ...(height === undefined ? {} : { height: height.toString() }), page: String(p), per_page: '100' }, signal);
      blockHeight = BigInt(r.block_height);
      for (const v of r.validators) {
        all.push({
          address: valcons(v.address),
          pubKey: { typeUrl: '/cosmos.crypto.ed25519.PubKey', value: Ed25519PubKey.encode({ key: Buffer.from(v.pub_key.value, 'base64') }).finish() },
          votingPower: BigInt(v.voting_power),
          proposerPriority: BigInt(v.proposer_priority),
        });
      }
      if (all.length >= Number(r.total) || r.validators.length === 0) break;
    }
    const { items, pagination } = pageList(all, page);
    return { blockHeight, validators: items, pagination };
  };

  const TX = '/cosmos.tx.v1beta1.Service/';
  const TM = '/cosmos.base.tendermint.v1beta1.Service/';
  return new Map<string, Handler>([
    [
      `${TX}GetTx`,
      async (data, signal) => {
        const req = txs.GetTxRequest.decode(data);
        if (!/^[0-9a-fA-F]{64}$/.test(req.hash)) throw new ApiError(Code.InvalidArgument, `tx hash must be 64 hex digits, got ${JSON.stringify(req.hash)}`);
        const raw = await rpc<RawTx>('tx', { hash: Buffer.from(req.hash, 'hex').toString('base64'), prove: false }, signal);
        return txs.GetTxResponse.encode(await txResponse(raw, signal)).finish();
      },
    ],
    [
      `${TX}GetTxsEvent`,
      async (data, signal) => {
        const req = txs.GetTxsEventRequest.decode(data);
        const query = req.query !== '' ? req.query : req.events.join(' AND ');
        if (query === '') throw new ApiError(Code.InvalidArgument, 'query cannot be empty: give a CometBFT event query, e.g. query=tx.height>0');
        const limit = req.limit !== 0n ? req.limit : req.pagination?.limit || MAX_TX_PAGE;
        if (limit > MAX_TX_PAGE) throw new ApiError(Code.InvalidArgument, `limit ${limit} is above the maximum ${MAX_TX_PAGE}`);
        const page = req.page !== 0n ? req.page : (req.pagination?.offset ?? 0n) / limit + 1n;
        const order = req.orderBy === OrderBy.ORDER_BY_DESC ? 'desc' : 'asc';
        const r = await rpc<{ txs: RawTx[]; total_count: string }>('tx_search', { query, prove: false, page: page.toString(), per_page: limit.toString(), order_by: order }, signal);
        const found = await Promise.all(r.txs.map((t) => txResponse(t, signal)));
        return txs.GetTxsEventResponse.encode({
          txs: found.map((f) => f.tx),
          txResponses: found.map((f) => f.txResponse),
          total: BigInt(r.total_count),
        }).finish();
      },
    ],
    [
      `${TX}BroadcastTx`,
      async (data, signal) => {
        const req = txs.BroadcastTxRequest.decode(data);
        if (req.txBytes.length === 0) throw new ApiError(Code.InvalidArgument, 'invalid empty tx');
        const method = req.mode === BroadcastMode.BROADCAST_MODE_SYNC ? 'broadcast_tx_sync' : req.mode === BroadcastMode.BROADCAST_MODE_ASYNC ? 'broadcast_tx_async' : undefined;
        if (method === undefined) throw new ApiError(Code.InvalidArgument, `unsupported broadcast mode ${req.mode}: use BROADCAST_MODE_SYNC or BROADCAST_MODE_ASYNC (block mode was removed in SDK 0.47)`);
        const r = await rpc<{ code: number; data: string; log: string; codespace: string; hash: string }>(method, { tx: Buffer.from(req.txBytes).toString('base64') }, signal);
        return txs.BroadcastTxResponse.encode({
          txResponse: {
            height: 0n,
            txhash: r.hash.toUpperCase(),
            codespace: r.codespace ?? '',
            code: r.code ?? 0,
            data: Buffer.from(r.data ?? '', 'base64').toString('hex').toUpperCase(),
            rawLog: r.log ?? '',
            logs: [],
            info: '',
            gasWanted: 0n,
            gasUsed: 0n,
            timestamp: '',
            events: [],
          },
        }).finish();
      },
    ],
    [
      `${TM}GetNodeInfo`,
      async (_data, signal) => {
        const s = await rpc<RawStatus>('status', {}, signal);
        const n = s.node_info;
        return tm.GetNodeInfoResponse.encode({
          defaultNodeInfo: {
            protocolVersion: { p2p: BigInt(n.protocol_version.p2p), block: BigInt(n.protocol_version.block), app: BigInt(n.protocol_version.app) },
            defaultNodeId: n.id,
            listenAddr: n.listen_addr,
            network: n.network,
            version: n.version,
            channels: Buffer.from(n.channels, 'hex'),
            moniker: n.moniker,
            other: { txIndex: n.other.tx_index, rpcAddress: n.other.rpc_address },
          },
          applicationVersion: { name: 'cairn', appName: 'cairn', version: SOFTWARE_VERSION, gitCommit: '', buildTags: '', goVersion: `node ${process.version}`, buildDeps: [], cosmosSdkVersion: '' },
        }).finish();
      },
    ],
    [`${TM}GetSyncing`, async (_data, signal) => tm.GetSyncingResponse.encode({ syncing: (await rpc<RawStatus>('status', {}, signal)).sync_info.catching_up }).finish()],
    [`${TM}GetLatestBlock`, async (_data, signal) => tm.GetLatestBlockResponse.encode(await block(undefined, signal)).finish()],
    [`${TM}GetBlockByHeight`, async (data, signal) => tm.GetBlockByHeightResponse.encode(await block(tm.GetBlockByHeightRequest.decode(data).height, signal)).finish()],
    [`${TM}GetLatestValidatorSet`, async (data, signal) => tm.GetLatestValidatorSetResponse.encode(await validatorSet(undefined, tm.GetLatestValidatorSetRequest.decode(data).pagination, signal)).finish()],
    [
      `${TM}GetValidatorSetByHeight`,
      async (data, signal) => {
        const req = tm.GetValidatorSetByHeightRequest.decode(data);
        return tm.GetValidatorSetByHeightResponse.encode(await validatorSet(req.height, req.pagination, signal)).finish();
      },
    ],
    [
      `${TM}ABCIQuery`,
      async (data) => {
        const req = tm.ABCIQueryRequest.decode(data);
        const r = await o.abciQuery(req);
        return tm.ABCIQueryResponse.encode({ ...r, ...(r.proofOps === undefined ? {} : { proofOps: r.proofOps }) }).finish();
      },
    ],
  ]);
}

/** Why tx lookups fail on a node whose CometBFT does not index into kv. */
export const TX_INDEX_OFF =
  'this node\'s CometBFT does not keep the kv tx index (config.toml [tx_index] indexer = "psql" or "null"), so it cannot look txs up: read them from an explorer given the PostgreSQL database (`cairn explorer --psql`), or ask a node with indexer = "kv"';

/** CometBFT's refusals as gRPC statuses: a missing tx or height is the caller's, an unreachable node Unavailable. */
function rpcError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof CometbftRpcError) {
    const text = err.message;
    // [tx_index] indexer = "psql": CometBFT writes txs to PostgreSQL and its RPC cannot read them back.
    if (/not supported|indexing is disabled/i.test(text)) return new ApiError(Code.Unimplemented, `${TX_INDEX_OFF} (CometBFT: ${text})`);
    if (/not found/i.test(text)) return new ApiError(Code.NotFound, text);
    if (/height|must be|invalid|parse|page/i.test(text)) return new ApiError(Code.InvalidArgument, text);
    return new ApiError(Code.Internal, text);
  }
  return new ApiError(Code.Unavailable, (err as Error).message);
}

interface RawTx {
  hash: string;
  height: string;
  tx: string;
  tx_result: { code?: number; data?: string; log?: string; info?: string; gas_wanted?: string; gas_used?: string; events?: RawEvent[]; codespace?: string };
}
interface RawEvent {
  type: string;
  attributes?: { key: string; value: string; index?: boolean }[];
}
interface RawBlockId {
  hash: string;
  parts: { total: number; hash: string };
}
interface RawHeader {
  version: { block: string; app?: string };
  chain_id: string;
  height: string;
  time: string;
  last_block_id: RawBlockId;
  last_commit_hash: string;
  data_hash: string;
  validators_hash: string;
  next_validators_hash: string;
  consensus_hash: string;
  app_hash: string;
  last_results_hash: string;
  evidence_hash: string;
  proposer_address: string;
}
interface RawBlock {
  header: RawHeader;
  data: { txs: string[] | null };
  last_commit: { height: string; round: number; block_id: RawBlockId; signatures: { block_id_flag: number; validator_address: string; timestamp: string; signature: string | null }[] } | null;
}
interface RawValidator {
  address: string;
  pub_key: { type: string; value: string };
  voting_power: string;
  proposer_priority: string;
}
interface RawStatus {
  node_info: {
    protocol_version: { p2p: string; block: string; app: string };
    id: string;
    listen_addr: string;
    network: string;
    version: string;
    channels: string;
    moniker: string;
    other: { tx_index: string; rpc_address: string };
  };
  sync_info: { catching_up: boolean };
}

const hex = (s: string | undefined): Uint8Array => Buffer.from(s ?? '', 'hex');

function event(e: RawEvent): Event {
  return { type: e.type, attributes: (e.attributes ?? []).map((a) => ({ key: a.key, value: a.value ?? '', index: a.index ?? false })) };
}

function blockId(b: RawBlockId) {
  return { hash: hex(b.hash), partSetHeader: { total: b.parts.total, hash: hex(b.parts.hash) } };
}

/** RFC 3339 with up to nanoseconds, as CometBFT writes times. */
export function timestamp(text: string): Timestamp {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  if (m === null) throw new ApiError(Code.Internal, `CometBFT returned a malformed time ${text}`);
  return { seconds: BigInt(Date.parse(`${m[1]}Z`) / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

function tmBlock(b: RawBlock): Block {
  const h = b.header;
  const header: Header = {
    version: { block: BigInt(h.version.block), app: BigInt(h.version.app ?? '0') },
    chainId: h.chain_id,
    height: BigInt(h.height),
    time: timestamp(h.time),
    lastBlockId: blockId(h.last_block_id),
    lastCommitHash: hex(h.last_commit_hash),
    dataHash: hex(h.data_hash),
    validatorsHash: hex(h.validators_hash),
    nextValidatorsHash: hex(h.next_validators_hash),
    consensusHash: hex(h.consensus_hash),
    appHash: hex(h.app_hash),
    lastResultsHash: hex(h.last_results_hash),
    evidenceHash: hex(h.evidence_hash),
    proposerAddress: hex(h.proposer_address),
  };
  const c = b.last_commit;
  const lastCommit: Commit | undefined =
    c === null
      ? undefined
      : {
          height: BigInt(c.height),
          round: c.round,
          blockId: blockId(c.block_id),
          signatures: c.signatures.map((s) => ({
            blockIdFlag: s.block_id_flag,
            validatorAddress: hex(s.validator_address),
            timestamp: timestamp(s.timestamp),
            signature: Buffer.from(s.signature ?? '', 'base64'),
          })),
        };
  // Evidence is left out (an empty list): Cairn's explorers read it from CometBFT's RPC.
  return { header, data: { txs: (b.data.txs ?? []).map((t) => Buffer.from(t, 'base64')) }, evidence: { evidence: [] }, ...(lastCommit === undefined ? {} : { lastCommit }) };
}
