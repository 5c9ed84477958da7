// Drives the Cairn app in-process through the ABCI calls CometBFT would make.
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import type { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import {
  CheckTxType,
  type ExecTxResult,
  type Misbehavior,
  type ResponseCheckTx,
  type ResponseFinalizeBlock,
  type ResponseInitChain,
  type ResponseQuery,
  type VoteInfo,
  ResponseProcessProposal_ProposalStatus,
} from 'cosmjs-types/tendermint/abci/types';
import { addGenesisAccount, checkGenesis, defaultAppState, type AppState } from '../../node/genesis.ts';
import { buildGenesis } from '../../node/cometbft/genesis.ts';
import { CairnApp } from '../../node/app.ts';
import type { AbciApplication } from '../../node/abci/types.ts';
import type { UpgradeHandler } from '../../modules/upgrade/index.ts';
import { silentLogger } from '../../node/log.ts';
import { CommitStore } from '../../core/store/commit-store.ts';
import { createHash } from 'node:crypto';
import type { Snapshots } from '../../node/snapshots/index.ts';
import { decodeAccount } from '../../modules/auth/keeper.ts';

export const CHAIN_ID = 'cairn-test-1';
const GENESIS_SECONDS = 1_800_000_000n;

/** The check node start and `cairn genesis validate` run (a dry-run InitChain), on an app_state alone. */
export function checkAppState(appState: AppState): Promise<unknown> {
  return checkGenesis(buildGenesis({ chainId: CHAIN_ID, validators: [], appState }), { allowNoValidators: true });
}

export interface ChainOptions {
  readonly funded?: readonly { address: string; amount: bigint }[];
  readonly appState?: AppState;
  readonly store?: CommitStore;
  readonly minGasPrices?: string;
  /** Who signs the Cosmos modules' MsgUpdateParams (default: the gov module account, which no test can sign for). */
  readonly authority?: Uint8Array;
  /** The first block's height (a chain started from an exported genesis continues the old one's heights). */
  readonly initialHeight?: bigint;
  /** How long before block 1 the genesis time lies (a scheduled launch, a long halt); default 0. */
  readonly genesisLeadSeconds?: bigint;
  /** The upgrade handlers of the "build" the chain runs (node/upgrades.ts upgradeHandlers). */
  readonly upgradeHandlers?: ReadonlyMap<string, UpgradeHandler>;
  /** State-sync snapshots the app takes and serves. */
  readonly snapshots?: Snapshots;
  /** How long FinalizeBlock holds a block it cannot execute before refusing it (AppOptions). */
  readonly upgradeHaltGraceMs?: number | undefined;
  /** What the ABCI calls go through instead of the app itself (e.g. the node's metrics wrapper). */
  readonly instrument?: (app: CairnApp) => AbciApplication;
}

/** What CometBFT would report about consensus for one block (votes for the previous one, evidence). */
export interface BlockConsensus {
  readonly votes?: readonly VoteInfo[];
  readonly misbehavior?: readonly Misbehavior[];
  readonly proposer?: Uint8Array;
  /** The block's header hash, as a proposer grinding it would choose (default: AppChain.hashOf(height)). */
  readonly hash?: Uint8Array;
  /** These txs reach ProcessProposal first, as on a validator voting for the block (it must accept them). */
  readonly proposed?: readonly Uint8Array[];
}

export class AppChain {
  readonly app: CairnApp;
  /** What ABCI calls go through: the app, or ChainOptions.instrument's wrapper of it. */
  readonly abci: AbciApplication;
  readonly store: CommitStore;
  readonly appHashes: Uint8Array[] = [];
  /** InitChain's answer (the genesis validator set) and the last FinalizeBlock's (validator updates, events). */
  initChain: ResponseInitChain | undefined;
  lastBlock: ResponseFinalizeBlock | undefined;

  private constructor(app: CairnApp, store: CommitStore, abci: AbciApplication) {
    this.app = app;
    this.abci = abci;
    this.store = store;
  }

  static async start(opts: ChainOptions = {}): Promise<AppChain> {
    const store = opts.store ?? (await CommitStore.memory());
    const app = new CairnApp({
      store,
      logger: silentLogger,
      minGasPrices: opts.minGasPrices ?? '',
      ...(opts.authority === undefined ? {} : { authority: opts.authority }),
      ...(opts.upgradeHandlers === undefined ? {} : { upgradeHandlers: opts.upgradeHandlers }),
      ...(opts.snapshots === undefined ? {} : { snapshots: opts.snapshots }),
      upgradeHaltGraceMs: opts.upgradeHaltGraceMs,
    });
    await app.load();
    const chain = new AppChain(app, store, opts.instrument?.(app) ?? app);
    if (store.lastHeight === 0n) {
      let state = opts.appState ?? defaultAppState();
      for (const f of opts.funded ?? []) state = addGenesisAccount(state, f.address, [{ denom: 'ucairn', amount: f.amount }]);
      chain.initChain = await chain.abci.initChain({
        time: { seconds: GENESIS_SECONDS - (opts.genesisLeadSeconds ?? 0n), nanos: 0 },
        chainId: CHAIN_ID,
        consensusParams: undefined as never,
        validators: [],
        appStateBytes: new TextEncoder().encode(JSON.stringify(state)),
        initialHeight: opts.initialHeight ?? 1n,
      });
    }
    return chain;
  }

  get height(): bigint {
    return this.store.lastHeight;
  }

  /** A distinct hash per height, as real blocks have (the receipts module samples from it). */
  static hashOf(height: bigint): Uint8Array {
    return new Uint8Array(createHash('sha256').update(`block ${height}`).digest());
  }

  async checkTx(tx: Uint8Array, recheck = false): Promise<ResponseCheckTx> {
    return this.abci.checkTx({ tx, type: recheck ? CheckTxType.RECHECK : CheckTxType.NEW });
  }

  /** FinalizeBlock + Commit of the next height; returns each tx's result. Checks invariants. */
  async block(txs: Uint8Array[] = [], consensus: BlockConsensus = {}): Promise<ExecTxResult[]> {
    const height = this.store.lastHeight + 1n;
    const request = {
      txs,
      decidedLastCommit: { round: 0, votes: [...(consensus.votes ?? [])] },
      misbehavior: [...(consensus.misbehavior ?? [])],
      hash: consensus.hash ?? AppChain.hashOf(height),
      height,
      time: { seconds: GENESIS_SECONDS + height * 5n, nanos: 0 },
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: consensus.proposer ?? new Uint8Array(20),
    };
    if (consensus.proposed !== undefined) {
      // A proposal of other txs has another block hash, as a later round's proposal would.
      const proposal = consensus.proposed === txs ? request : { ...request, txs: [...consensus.proposed], hash: AppChain.hashOf(-height) };
      const { status } = await this.abci.processProposal({ ...proposal, proposedLastCommit: request.decidedLastCommit });
      if (status !== ResponseProcessProposal_ProposalStatus.ACCEPT) throw new Error(`the proposal at ${height} was rejected`);
    }
    const res = await this.abci.finalizeBlock(request);
    this.lastBlock = res;
    this.appHashes.push(res.appHash);
    await this.abci.commit({});
    const committed = this.store.committed;
    const broken = await this.app.checkInvariants(committed);
    if (broken.length > 0) throw new Error(`invariants broken at ${height}: ${broken.join('; ')}`);
    return res.txResults;
  }

  async query(path: string, data: Uint8Array, height = 0n, prove = false): Promise<ResponseQuery> {
    return this.app.query({ path, data, height, prove });
  }

  async balance(address: string, denom = 'ucairn'): Promise<bigint> {
    const r = await this.query('/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest.encode({ address, denom }).finish());
    if (r.code !== 0) throw new Error(r.log);
    return BigInt(QueryBalanceResponse.decode(r.value).balance!.amount);
  }

  async account(address: string): Promise<BaseAccount> {
    const r = await this.query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address }).finish());
    if (r.code !== 0) throw new Error(r.log);
    // Vesting accounts wrap their base account, as in the SDK.
    return decodeAccount(QueryAccountResponse.decode(r.value).account!).base;
  }
}
