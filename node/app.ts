// The Cairn application: the ordered module list and the ABCI block lifecycle, nothing hidden.
//
// State flow: InitChain and FinalizeBlock write into the store's working state; FinalizeBlock
// returns its root as the app hash; Commit persists it atomically. CheckTx runs on its own branch
// of the last committed state, rebuilt at every Commit (CometBFT then rechecks the mempool on it).
import {
  type RequestCheckTx,
  type RequestFinalizeBlock,
  type RequestInfo,
  type RequestInitChain,
  type RequestPrepareProposal,
  type RequestProcessProposal,
  type RequestQuery,
  type RequestApplySnapshotChunk,
  type RequestLoadSnapshotChunk,
  type RequestOfferSnapshot,
  type ResponseApplySnapshotChunk,
  type Snapshot,
  type ResponseCheckTx,
  type ResponseCommit,
  type ResponseFinalizeBlock,
  type ResponseInfo,
  type ResponseInitChain,
  type ResponsePrepareProposal,
  type ResponseProcessProposal,
  type ResponseQuery,
  type ValidatorUpdate,
  CheckTxType,
  ResponseApplySnapshotChunk_Result,
  ResponseOfferSnapshot_Result,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
} from 'cosmjs-types/tendermint/abci/types';
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { AccountKeeper, authModule } from '../modules/auth/index.ts';
import * as authKeys from '../modules/auth/keys.ts';
import * as stakingKeys from '../modules/staking/keys.ts';
import { msToTimestamp } from '../core/framework/time.ts';
import { runAnte } from '../modules/auth/ante.ts';
import { BankKeeper, bankModule } from '../modules/bank/index.ts';
import { RegistryKeeper, registryModule } from '../modules/registry/index.ts';
import { StakingKeeper, StakingView, stakingModule } from '../modules/staking/index.ts';
import { stakingApi } from '../modules/staking/api.ts';
import { DistributionKeeper, distributionModule } from '../modules/distribution/index.ts';
import { SlashingKeeper, slashingHooks, slashingModule } from '../modules/slashing/index.ts';
import { ReceiptsKeeper, receiptsModule } from '../modules/receipts/index.ts';
import { RoyaltyKeeper, royaltyModule } from '../modules/royalty/index.ts';
import { EmissionKeeper, emissionModule } from '../modules/emission/index.ts';
import { blockMaxGas, consensusModule, seedParams, storedParams } from '../modules/consensus/index.ts';
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { type UpgradeHandler, UpgradeHaltError, binaryTooEarlyMessage, preBlock, scheduledPlan, upgradeModule, upgradeNeededMessage } from '../modules/upgrade/index.ts';
import { GovKeeper, govModule } from '../modules/gov/index.ts';
import { FeegrantKeeper, feegrantModule } from '../modules/feegrant/index.ts';
import { AuthzKeeper, authzModule } from '../modules/authz/index.ts';
import { vestingModule } from '../modules/vesting/index.ts';
import type { AbciApplication } from './abci/types.ts';
import { AddressCodec } from '../core/framework/address.ts';
import type { BlockInfo, Context } from '../core/framework/context.ts';
import { EventSink } from '../core/framework/events.ts';
import { GasMeter, UNLIMITED_GAS } from '../core/framework/gas.ts';
import type { Module, MsgHandler, QueryHandler } from '../core/framework/module.ts';
import type { Logger } from './log.ts';
import { QueryRouter } from './query.ts';
import { branch, readOnly } from '../core/store/branch.ts';
import { equalBytes } from '../core/store/bytes.ts';
import type { CommitStore } from '../core/store/commit-store.ts';
import type { Branch, KVRead } from '../core/store/types.ts';
import { type TxDecoding, type TxLimits, declaredGas, decodeTx } from '../core/tx/decode.ts';
import { DecodedTxCache } from '../core/tx/decode-cache.ts';
import type { TsProtoGeneratedType } from '@cosmjs/proto-signing';
import { type GasPrice, parseGasPrices } from '../core/tx/gas-price.ts';
import { type TxEnv, type TxResult, runTx } from '../core/tx/run.ts';
import { govAccount } from '../core/framework/authority.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';
import * as appKeys from './app-keys.ts';
import { Restore, SNAPSHOT_FORMAT, SnapshotFormatError, type Snapshots, openNow } from './snapshots/index.ts';
import { relaxHeapGrowth, releaseFreedMemory, restoreHeapGrowth } from './memory.ts';
import { APP_NAME, APP_VERSION, SOFTWARE_VERSION } from './version.ts';

/**
 * An app_state this big (~10k accounts) leaves hundreds of MiB of emptied heap after InitChain and the
 * Commit that writes it; a smaller one too little to pay for a last-resort collection.
 */
const BIG_GENESIS_BYTES = 4 * 2 ** 20;

export interface AppOptions {
  readonly store: CommitStore;
  readonly logger: Logger;
  /** e.g. "0.025ucairn"; empty accepts any fee. Only CheckTx enforces it. */
  readonly minGasPrices?: string;
  readonly limits?: Partial<TxLimits>;
  /** Check SPEC §0 invariants after every block and halt on a violation. */
  readonly checkInvariants?: boolean;
  /**
   * The account that signs the Cosmos modules' MsgUpdateParams: the gov module account, as the
   * SDK's app wiring does. Tests name an account whose key they hold.
   */
  readonly authority?: Uint8Array;
  /** The state migrations this build runs, by upgrade plan name (node/upgrades.ts). */
  readonly upgradeHandlers?: ReadonlyMap<string, UpgradeHandler>;
  /** State-sync snapshots this node takes and serves (none: it serves none, and can still restore one). */
  readonly snapshots?: Snapshots;
  /**
   * How long FinalizeBlock holds a block it cannot execute (an upgrade is due) before refusing it:
   * meanwhile CometBFT, waiting on the answer, goes on gossiping the votes that decided the block,
   * so peers that had not yet seen two thirds of them decide it and stop at the same height instead
   * of waiting below it for a quorum that has gone. Default 0 (tests that drive the app alone).
   */
  readonly upgradeHaltGraceMs?: number | undefined;
}

export const DEFAULT_LIMITS: TxLimits = { maxTxBytes: 1024 * 1024, maxMsgsPerTx: 64 };

/** The modules in the order their genesis, hooks and exports run. */
export function buildModules(accounts: AccountKeeper, bank: BankKeeper, authority: Uint8Array = govAccount()): Module[] {
  // Staking tells distribution about every stake change through hooks fixed here, at construction.
  const distribution = new DistributionKeeper(accounts, bank, new StakingView());
  const staking = new StakingKeeper(accounts, bank, [distribution.hooks, slashingHooks()]);
  const slashing = new SlashingKeeper(stakingApi(staking));
  const registry = new RegistryKeeper(bank);
  const royalty = new RoyaltyKeeper(bank, registry);
  const receipts = new ReceiptsKeeper(bank, registry, royalty);
  const emission = new EmissionKeeper({ bank, distribution, receipts, royalty, registry, staking });
  // A passed proposal's messages and MsgExec's go through every module's handlers: the router is filled below.
  const router = new Map<string, MsgHandler>();
  const gov = new GovKeeper(bank, stakingApi(staking), router);
  const modules: Module[] = [
    authModule(accounts, authority),
    bankModule(bank, accounts, authority),
    stakingModule(staking, authority),
    distributionModule(distribution, authority),
    slashingModule(slashing, authority),
    consensusModule(authority),
    upgradeModule(authority, () => modules.map((m) => ({ name: m.name, version: BigInt(m.consensusVersion) }))),
    feegrantModule(new FeegrantKeeper(), accounts),
    authzModule(new AuthzKeeper(), accounts, router),
    vestingModule(accounts, bank),
    registryModule(registry, bank, accounts),
    // After the registry (operators, keys, models); receipts settles through royalty in its end block.
    receiptsModule(receipts, accounts),
    royaltyModule(royalty, accounts),
    // Mints at the epoch end from what receipts finalized and royalty split in this block.
    emissionModule(emission, accounts),
    // Last: tallies proposals whose voting ended and runs the passed ones after the block's work.
    govModule(gov, accounts, authority),
  ];
  for (const m of modules) for (const h of m.msgs) router.set(h.typeUrl, h);
  return modules;
}

export class CairnApp implements AbciApplication {
  readonly store: CommitStore;
  readonly modules: readonly Module[];
  readonly accounts = new AccountKeeper();
  readonly bank: BankKeeper;
  /** Holds no state of its own: the ante spends fee allowances through it. */
  readonly feegrant = new FeegrantKeeper();
  readonly #logger: Logger;
  readonly #router: Map<string, MsgHandler>;
  /** Each routed message's canonical encoder (from the client registry wallets use). */
  readonly #encoders = new Map<string, (msg: unknown) => Uint8Array>();
  readonly #decoding: TxDecoding;
  /**
   * Txs decoded at CheckTx, reused by ReCheckTx and FinalizeBlock. 5,000 (~20 MiB) covers the txs between
   * their CheckTx and their block at 1,500 tx/s with seconds to spare; FinalizeBlock takes its txs out.
   */
  readonly #decodedTxs = new DecodedTxCache(5_000);
  readonly #queries: QueryRouter;
  readonly #minGasPrices: GasPrice[];
  readonly #limits: TxLimits;
  readonly #checkInvariants: boolean;
  readonly #upgradeHandlers: ReadonlyMap<string, UpgradeHandler>;
  readonly #upgradeHaltGraceMs: number;
  /** Resolves when a block cannot be executed by this build (an upgrade is due): the node must stop. */
  readonly halted: Promise<UpgradeHaltError>;
  #halt: (err: UpgradeHaltError) => void = () => {};
  #chainId = '';
  #addresses = new AddressCodec('cairn');
  #checkState: Branch;
  #lastBlockTime: Timestamp = { seconds: 0n, nanos: 0 };
  #finalizedHeight: bigint | undefined;
  /**
   * The finalized block's time, the last block time from its Commit on: a CheckTx between
   * FinalizeBlock and Commit (CometBFT allows it; the ABCI server now runs FinalizeBlock ahead of
   * queued CheckTx) sees the committed block's height and time together.
   */
  #finalizedTime: Timestamp = { seconds: 0n, nanos: 0 };
  /** The consensus params of the last committed state: those CometBFT runs the next block with. */
  #consensusParams: ConsensusParams | undefined;
  readonly #snapshots: Snapshots | undefined;
  /** The snapshot being restored (state sync), between OfferSnapshot and its last chunk. */
  #restore: Restore | undefined;
  /** Set by the InitChain of a big genesis: the first Commit, which writes it, then releases the memory both used. */
  #releaseAfterCommit = false;
  /** The last accepted proposal (its block hash) and the reads ahead of its keys, which its FinalizeBlock awaits. */
  #proposal: { readonly hash: Uint8Array; readonly readAhead: Promise<void> } | undefined;

  constructor(opts: AppOptions) {
    this.store = opts.store;
    this.#logger = opts.logger;
    this.bank = new BankKeeper(this.accounts);
    this.modules = buildModules(this.accounts, this.bank, opts.authority);
    this.#minGasPrices = parseGasPrices(opts.minGasPrices ?? '');
    this.#limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.#checkInvariants = opts.checkInvariants ?? false;
    this.#upgradeHandlers = opts.upgradeHandlers ?? new Map();
    this.#upgradeHaltGraceMs = opts.upgradeHaltGraceMs ?? 0;
    this.#snapshots = opts.snapshots;
    this.halted = new Promise((resolve) => (this.#halt = resolve));
    this.#router = new Map();
    const registry = cairnRegistry();
    const queries = new Map<string, QueryHandler>();
    for (const m of this.modules) {
      for (const h of m.msgs) {
        if (this.#router.has(h.typeUrl)) throw new Error(`message ${h.typeUrl} registered twice`);
        this.#router.set(h.typeUrl, h);
        const type = registry.lookupType(h.typeUrl) as TsProtoGeneratedType | undefined;
        if (type === undefined) throw new Error(`message ${h.typeUrl} has a handler but no type in the client registry (sdk/cosmjs-registry.ts)`);
        this.#encoders.set(h.typeUrl, (msg) => type.encode(msg as never).finish());
      }
      for (const [path, q] of Object.entries(m.queries)) {
        if (queries.has(path)) throw new Error(`query ${path} registered twice`);
        queries.set(path, q);
      }
    }
    this.#decoding = { router: this.#router, limits: this.#limits, encodeMsg: (typeUrl, msg) => this.#encoders.get(typeUrl)!(msg) };
    this.#queries = new QueryRouter(this, queries);
    this.#checkState = branch(readOnly(this.store.committed));
  }

  /** Loads chain id and address prefix from committed state (after a restart). */
  async load(): Promise<void> {
    const committed = this.store.committed;
    const chainId = await appKeys.chainId.get(committed);
    if (chainId !== undefined) this.#chainId = chainId;
    const prefix = await authKeys.bech32Prefix.get(committed);
    if (prefix !== undefined) this.#addresses = new AddressCodec(prefix);
    // CheckTx and queries see the last block's time (what has vested, what has expired) from the
    // first request after a restart, not time 0: staking records it every block (to the millisecond).
    const lastMs = await stakingKeys.lastBlockTime.get(committed);
    if (lastMs !== undefined) this.#lastBlockTime = msToTimestamp(lastMs);
    // Before InitChain there are none: InitChain seeds them from genesis.json.
    this.#consensusParams = this.store.lastHeight === 0n ? undefined : await storedParams(committed);
  }

  /**
   * Refuses to run a build that cannot run the next block because of an upgrade, before CometBFT
   * replays anything: the plan is due and this build lacks its handler (the node stopped there and was
   * restarted with the same build), or the plan is not due yet and this build already has the handler
   * (as the SDK's begin blocker refuses at the next block): it must not run blocks the old code is to run.
   */
  async checkUpgradeHandlers(): Promise<void> {
    const plan = await scheduledPlan(this.store.committed);
    if (plan === undefined) return;
    const next = this.store.lastHeight + 1n;
    const known = this.#upgradeHandlers.has(plan.name);
    if (plan.height <= next && !known) throw new UpgradeHaltError(plan, upgradeNeededMessage(plan));
    if (plan.height > next && known) throw new UpgradeHaltError(plan, binaryTooEarlyMessage(plan, this.store.lastHeight));
  }

  get chainId(): string {
    return this.#chainId;
  }

  get addresses(): AddressCodec {
    return this.#addresses;
  }

  /** What decoding a tx needs from this app (its message router, limits and encoders). */
  get txDecoding(): TxDecoding {
    return this.#decoding;
  }

  get txEnv(): TxEnv {
    return {
      // Simulated txs are unsigned drafts, not worth keeping.
      decode: (bytes, mode) => (mode === 'simulate' ? decodeTx(bytes, this.#decoding) : this.#decodedTxs.decode(bytes, this.#decoding, mode === 'finalize')),
      ante: (tx, ctx) => runAnte(tx, ctx, { accounts: this.accounts, bank: this.bank, feegrant: this.feegrant }, { minGasPrices: this.#minGasPrices }),
      addresses: this.#addresses,
      onInternalError: (err, where) => this.#logger.error(`internal error in ${where}`, { error: String((err as Error)?.stack ?? err) }),
    };
  }

  /** Block facts CheckTx, queries and simulation see: the last committed block. */
  get committedBlock(): BlockInfo {
    return { chainId: this.#chainId, height: this.store.lastHeight, time: this.#lastBlockTime, ...this.#maxGas() };
  }

  /** The block gas limit the next block runs under, as BlockInfo carries it (absent: none). */
  #maxGas(): { maxGas?: bigint } {
    const maxGas = this.#consensusParams === undefined ? undefined : blockMaxGas(this.#consensusParams);
    return maxGas === undefined ? {} : { maxGas };
  }

  // ---- query connection ----

  async info(_req: RequestInfo): Promise<ResponseInfo> {
    const height = this.store.lastHeight;
    return {
      data: APP_NAME,
      version: SOFTWARE_VERSION,
      appVersion: APP_VERSION,
      lastBlockHeight: height,
      lastBlockAppHash: height === 0n ? new Uint8Array() : this.store.lastAppHash,
    };
  }

  query(req: RequestQuery): Promise<ResponseQuery> {
    return this.#queries.handle(req);
  }

  // ---- mempool connection ----

  // A CheckTx answers with no events (core/tx/run.ts, as the SDK's baseapp): CometBFT's mempool
  // reads only its code and gas wanted.
  async checkTx(req: RequestCheckTx): Promise<ResponseCheckTx> {
    const mode = req.type === CheckTxType.RECHECK ? 'recheck' : 'check';
    const r = await runTx(req.tx, this.#checkState, this.committedBlock, mode, this.txEnv);
    return { code: r.code, data: r.data, log: r.log, info: '', gasWanted: r.gasWanted, gasUsed: r.gasUsed, events: r.events, codespace: r.codespace };
  }

  // ---- consensus connection ----

  async initChain(req: RequestInitChain): Promise<ResponseInitChain> {
    if (this.store.lastHeight !== 0n) throw new Error(`InitChain called on a store at height ${this.store.lastHeight}`);
    // No local holds the parsed app_state: it is garbage once validated, while the modules write.
    const validated = validateGenesis(this.modules, parseAppState(req.appStateBytes));
    this.#releaseAfterCommit = req.appStateBytes.length >= BIG_GENESIS_BYTES;
    if (this.#releaseAfterCommit) relaxHeapGrowth();
    const validators = await this.#initGenesis(req, validated);
    this.#checkState = branch(readOnly(this.store.committed));
    return { validators, appHash: await this.store.workingHash() };
  }

  /**
   * What InitChain checks and writes, for the genesis check (node/genesis.ts) on a throwaway store:
   * the app_state is the document's parsed object, not its bytes parsed again, and the tree is never
   * built, since only InitChain's refusal and validator set matter there. A 1M-account genesis held a
   * second parsed copy and a tree of every key for nothing (bench/README.md, "State size").
   */
  async dryRunInitChain(req: Omit<RequestInitChain, 'appStateBytes'>, appState: unknown): Promise<ValidatorUpdate[]> {
    if (this.store.lastHeight !== 0n) throw new Error(`InitChain called on a store at height ${this.store.lastHeight}`);
    return this.#initGenesis(req, validateGenesis(this.modules, appStateObject(appState ?? {})));
  }

  async #initGenesis(req: Omit<RequestInitChain, 'appStateBytes'>, validated: ValidatedGenesis): Promise<ValidatorUpdate[]> {
    this.#chainId = req.chainId;
    this.#addresses = new AddressCodec(validated.bech32Prefix);
    const ctx = this.#blockContext({ chainId: req.chainId, height: req.initialHeight - 1n, time: req.time ?? { seconds: 0n, nanos: 0 } }, new EventSink());
    appKeys.chainId.set(ctx.store, req.chainId);
    this.#consensusParams = seedParams(ctx.store, req.consensusParams);
    // The module that owns the validator set (staking) returns it; CometBFT replaces genesis.json's list with it.
    const validators: ValidatorUpdate[] = [];
    for (const m of this.modules) {
      const section = validated.sections.get(m.name);
      // A section is garbage once its module wrote it: a big state is not held twice until the end.
      validated.sections.delete(m.name);
      const result = await m.genesis.init(section, ctx);
      if (result?.validatorUpdates) validators.push(...result.validatorUpdates);
    }
    if (req.validators.length > 0) checkGenesisValidators(req.validators, validators);
    return validators;
  }

  // The mempool's txs in order, stopping before the bytes exceed max_tx_bytes or the gas the txs
  // declare exceeds the block gas limit (the SDK's default proposal handler does the same).
  async prepareProposal(req: RequestPrepareProposal): Promise<ResponsePrepareProposal> {
    const txs: Uint8Array[] = [];
    const maxGas = this.#maxGas().maxGas;
    let bytes = 0n;
    let gas = 0n;
    for (const tx of req.txs) {
      bytes += BigInt(tx.length);
      gas += declaredGas(tx);
      if (bytes > req.maxTxBytes || (maxGas !== undefined && gas > maxGas)) break;
      txs.push(tx);
    }
    return { txs };
  }

  /** Rejects a block whose txs declare more gas than the block gas limit, as an honest proposer never builds one. */
  async processProposal(req: RequestProcessProposal): Promise<ResponseProcessProposal> {
    const maxGas = this.#maxGas().maxGas;
    if (maxGas !== undefined) {
      const gas = req.txs.reduce((sum, tx) => sum + declaredGas(tx), 0n);
      if (gas > maxGas) {
        this.#logger.warn('rejected a proposal over the block gas limit', { height: String(req.height), gas: String(gas), maxGas: String(maxGas) });
        return { status: ResponseProcessProposal_ProposalStatus.REJECT };
      }
    }
    // While the block is voted on, the state its txs will read is brought in on LevelDB's threads.
    this.#proposal = { hash: req.hash, readAhead: this.#readAhead(req.txs) };
    return { status: ResponseProcessProposal_ProposalStatus.ACCEPT };
  }

  /** Reads ahead the keys the messages of `txs` name (MsgHandler.readAhead) into the store's read cache. */
  #readAhead(txs: readonly Uint8Array[]): Promise<void> {
    const keys: Uint8Array[] = [];
    for (const bytes of txs) {
      try {
        // Decoded into the cache FinalizeBlock takes it from.
        for (const m of this.#decodedTxs.decode(bytes, this.#decoding).msgs) keys.push(...(m.handler.readAhead?.(m.msg, this.#addresses) ?? []));
      } catch {
        // A tx that does not decode fails in FinalizeBlock, with nothing to read ahead.
      }
    }
    return this.store.readAhead(keys);
  }

  async finalizeBlock(req: RequestFinalizeBlock): Promise<ResponseFinalizeBlock> {
    const block: BlockInfo = { chainId: this.#chainId, height: req.height, time: req.time ?? { seconds: 0n, nanos: 0 }, hash: req.hash, ...this.#maxGas() };
    const blockEvents: Event[] = [];
    const validatorUpdates: ValidatorUpdate[] = [];
    const begin = new EventSink();
    // Begin-block hooks see who signed the last block, the evidence in this one and the proposer.
    const consensus = {
      lastCommit: req.decidedLastCommit ?? { round: 0, votes: [] },
      misbehavior: req.misbehavior,
      proposerAddress: req.proposerAddress,
    };
    // First of all, a due upgrade: migrate, or stop before anything of this block is applied.
    try {
      await preBlock(this.#blockContext({ ...block, consensus }, begin), this.#upgradeHandlers);
    } catch (err) {
      if (err instanceof UpgradeHaltError) {
        this.#logger.error(err.message, { height: String(req.height) });
        if (this.#upgradeHaltGraceMs > 0) {
          this.#logger.info('holding the block so peers get the votes that decided it', { ms: this.#upgradeHaltGraceMs });
          await new Promise((resolve) => setTimeout(resolve, this.#upgradeHaltGraceMs));
        }
        this.#halt(err);
      }
      throw err;
    }
    for (const m of this.modules) if (m.beginBlock) await m.beginBlock(this.#blockContext({ ...block, consensus }, begin));
    blockEvents.push(...tagMode(begin.events, 'BeginBlock'));

    const proposal = this.#proposal;
    this.#proposal = undefined;
    await (proposal !== undefined && equalBytes(proposal.hash, req.hash) ? proposal.readAhead : this.#readAhead(req.txs));
    const txResults: TxResult[] = [];
    const env = this.txEnv;
    for (const tx of req.txs) txResults.push(await runTx(tx, this.store.working, block, 'finalize', env));

    const end = new EventSink();
    for (const m of this.modules) {
      const result = m.endBlock ? await m.endBlock(this.#blockContext(block, end)) : undefined;
      if (result?.validatorUpdates) validatorUpdates.push(...result.validatorUpdates);
    }
    blockEvents.push(...tagMode(end.events, 'EndBlock'));
    this.#finalizedTime = block.time;
    this.#finalizedHeight = req.height;
    if (this.#checkInvariants) await this.#assertInvariants(this.store.working, req.height);
    const consensusParamUpdates = await this.#consensusParamUpdates();
    return {
      events: blockEvents,
      txResults: txResults.map((r) => ({
        code: r.code,
        data: r.data,
        log: r.log,
        info: '',
        gasWanted: r.gasWanted,
        gasUsed: r.gasUsed,
        events: r.events,
        codespace: r.codespace,
      })),
      validatorUpdates,
      ...(consensusParamUpdates === undefined ? {} : { consensusParamUpdates }),
      appHash: await this.store.workingHash(),
    };
  }

  /** The block's new consensus params (a MsgUpdateParams ran), for CometBFT to apply from the next height. */
  async #consensusParamUpdates(): Promise<ConsensusParams | undefined> {
    const next = await storedParams(this.store.working);
    const encode = (p: ConsensusParams | undefined): string => (p === undefined ? '' : Buffer.from(ConsensusParams.encode(p).finish()).toString('hex'));
    return encode(next) === encode(this.#consensusParams) ? undefined : next;
  }

  async extendVote(): Promise<{ voteExtension: Uint8Array }> {
    return { voteExtension: new Uint8Array() };
  }

  async verifyVoteExtension(): Promise<{ status: ResponseVerifyVoteExtension_VerifyStatus }> {
    return { status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT };
  }

  async commit(): Promise<ResponseCommit> {
    if (this.#finalizedHeight === undefined) throw new Error('Commit without a finalized block');
    const height = this.#finalizedHeight;
    await this.store.commit(height);
    this.#snapshots?.afterCommit(height, () => openNow(this.store.committed.iterate({})));
    this.#finalizedHeight = undefined;
    this.#lastBlockTime = this.#finalizedTime;
    this.#checkState = branch(readOnly(this.store.committed));
    this.#consensusParams = await storedParams(this.store.committed);
    if (this.#releaseAfterCommit) {
      this.#releaseAfterCommit = false;
      releaseFreedMemory();
      restoreHeapGrowth();
    }
    return { retainHeight: 0n };
  }

  // ---- snapshot connection: state sync (node/snapshots) ----

  async listSnapshots(): Promise<{ snapshots: Snapshot[] }> {
    return { snapshots: (this.#snapshots?.list() ?? []).map((s) => ({ ...s })) };
  }

  async loadSnapshotChunk(req: RequestLoadSnapshotChunk): Promise<{ chunk: Uint8Array }> {
    return { chunk: (await this.#snapshots?.loadChunk(req.height, req.format, req.chunk)) ?? new Uint8Array() };
  }

  /** A snapshot offered with the app hash CometBFT's light client trusts for its height. */
  async offerSnapshot(req: RequestOfferSnapshot): Promise<{ result: ResponseOfferSnapshot_Result }> {
    if (this.store.lastHeight !== 0n) {
      this.#logger.error('state sync offered a snapshot to a node that already has state: start it on an empty data directory', { height: String(this.store.lastHeight) });
      return { result: ResponseOfferSnapshot_Result.ABORT };
    }
    const s = req.snapshot;
    if (s === undefined) return { result: ResponseOfferSnapshot_Result.REJECT };
    if (s.format !== SNAPSHOT_FORMAT) return { result: ResponseOfferSnapshot_Result.REJECT_FORMAT };
    try {
      this.#restore = new Restore(s, req.appHash);
    } catch (err) {
      this.#logger.warn('refused a snapshot', { height: String(s.height), error: (err as Error).message });
      return { result: ResponseOfferSnapshot_Result.REJECT };
    }
    this.store.discard();
    this.#logger.info('restoring a snapshot', { height: String(s.height), chunks: s.chunks });
    return { result: ResponseOfferSnapshot_Result.ACCEPT };
  }

  async applySnapshotChunk(req: RequestApplySnapshotChunk): Promise<ResponseApplySnapshotChunk> {
    const result = (r: ResponseApplySnapshotChunk_Result, refetch: number[] = [], reject: string[] = []): ResponseApplySnapshotChunk => ({ result: r, refetchChunks: refetch, rejectSenders: reject });
    const restore = this.#restore;
    if (restore === undefined) return result(ResponseApplySnapshotChunk_Result.ABORT);
    let outcome;
    try {
      outcome = restore.apply(req.index, req.chunk, this.store.working);
    } catch (err) {
      if (!(err instanceof SnapshotFormatError)) throw err;
      // The chunk is the one the snapshot lists, so the snapshot itself is false.
      this.#logger.warn('refused a snapshot whose content does not decode', { height: String(restore.height), chunk: req.index, error: err.message });
      this.#abandonRestore();
      return result(ResponseApplySnapshotChunk_Result.REJECT_SNAPSHOT);
    }
    if (outcome === 'bad-chunk') {
      this.#logger.warn('refused a snapshot chunk that does not match its hash; fetching it from another peer', { height: String(restore.height), chunk: req.index, sender: req.sender });
      return result(ResponseApplySnapshotChunk_Result.RETRY, [req.index], req.sender === '' ? [] : [req.sender]);
    }
    if (outcome === 'more') return result(ResponseApplySnapshotChunk_Result.ACCEPT);
    const root = await this.store.workingHash();
    if (!Buffer.from(root).equals(restore.appHash)) {
      this.#logger.warn('refused a snapshot whose state does not have the trusted app hash', { height: String(restore.height), got: hex(root), want: hex(restore.appHash) });
      this.#abandonRestore();
      return result(ResponseApplySnapshotChunk_Result.REJECT_SNAPSHOT);
    }
    await this.store.commit(restore.height);
    this.#restore = undefined;
    await this.load();
    this.#checkState = branch(readOnly(this.store.committed));
    releaseFreedMemory(); // the whole state was just written, as by a big genesis's first commit
    this.#logger.info('state restored from a snapshot', { height: String(restore.height), appHash: hex(root) });
    return result(ResponseApplySnapshotChunk_Result.ACCEPT);
  }

  #abandonRestore(): void {
    this.#restore = undefined;
    this.store.discard();
  }

  // ---- helpers ----

  #blockContext(block: BlockInfo, events: EventSink): Context {
    return { store: this.store.working, block, mode: 'finalize', events, gas: new GasMeter(UNLIMITED_GAS), addresses: this.#addresses };
  }

  /** Every module's SPEC §0 invariants over `store`; empty when all hold. */
  async checkInvariants(store: KVRead): Promise<string[]> {
    const broken: string[] = [];
    for (const m of this.modules) if (m.invariants) broken.push(...(await m.invariants(store)).map((b) => `${m.name}: ${b}`));
    return broken;
  }

  async #assertInvariants(store: KVRead, height: bigint): Promise<void> {
    const broken = await this.checkInvariants(store);
    if (broken.length > 0) {
      this.#logger.error('invariant broken: halting', { height: String(height), broken: broken.join('; ') });
      throw new Error(`invariant broken at height ${height}: ${broken.join('; ')}`);
    }
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

function tagMode(events: readonly Event[], mode: string): Event[] {
  return events.map((e) => ({ ...e, attributes: [...e.attributes, { key: 'mode', value: mode, index: true }] }));
}

function parseAppState(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.length === 0) return {};
  return appStateObject(JSON.parse(new TextDecoder().decode(bytes)));
}

function appStateObject(parsed: unknown): Record<string, unknown> {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('genesis app_state must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * genesis.json may list validators only if they are exactly the set the staking section bonds (as in
 * the Cosmos SDK): otherwise the document would say one thing and the chain do another.
 */
function checkGenesisValidators(listed: readonly ValidatorUpdate[], bonded: readonly ValidatorUpdate[]): void {
  const key = (v: ValidatorUpdate): string => `${Buffer.from(v.pubKey.ed25519 ?? v.pubKey.secp256k1 ?? []).toString('base64')} with power ${v.power}`;
  const ours = new Set(bonded.map(key));
  const theirs = new Set(listed.map(key));
  const extra = [...theirs].find((k) => !ours.has(k));
  const missing = [...ours].find((k) => !theirs.has(k));
  if (extra !== undefined || missing !== undefined || ours.size !== theirs.size) {
    const detail = extra !== undefined ? `it lists ${extra}, which staking does not bond` : `it lacks ${missing ?? 'a validator'}, which staking bonds`;
    throw new Error(`the genesis "validators" list differs from the staking section: ${detail}. Leave "validators" empty (InitChain takes the set from staking) or list exactly the bonded set`);
  }
}

export interface ValidatedGenesis {
  readonly bech32Prefix: string;
  readonly sections: Map<string, unknown>;
}

/** Validates every module's section (missing sections take the module's default). */
export function validateGenesis(modules: readonly Module[], appState: Record<string, unknown>): ValidatedGenesis {
  const known = new Set(modules.map((m) => m.name));
  for (const name of Object.keys(appState)) {
    if (!known.has(name)) throw new Error(`app_state has an unknown module section "${name}": remove it or fix its name (the modules are ${[...known].join(', ')})`);
  }
  const sections = new Map<string, unknown>();
  // auth comes first and fixes the address prefix every later section is checked against.
  let addresses = new AddressCodec('cairn');
  for (const m of modules) {
    const section = m.genesis.validate(appState[m.name] ?? m.genesis.defaultGenesis(), addresses);
    sections.set(m.name, section);
    if (m.name === 'auth') addresses = new AddressCodec((section as { bech32Prefix: string }).bech32Prefix);
  }
  return { bech32Prefix: addresses.prefix, sections };
}
