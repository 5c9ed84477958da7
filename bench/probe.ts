// Instruments a running CairnApp from the outside: wraps its ABCI methods to time them and to see
// which txs each block carried, with what result, and when the block was committed. The ABCI
// server looks the methods up on the app object at every call, so own properties set here take
// effect at once. Nothing in the app is changed; the wrappers only add timing (~1 µs per call).
import { hash } from 'node:crypto';
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import type { CairnApp } from '../node/app.ts';
import { epochMs } from './load.ts';

export interface BlockStat {
  readonly height: number;
  /** Header time, epoch ms. */
  readonly headerTime: number;
  readonly txs: number;
  readonly ok: number;
  /** The round in which the previous block was decided (from decided_last_commit): > 0 means a round failed. */
  readonly lastCommitRound: number;
  readonly finalizeStart: number;
  readonly finalizeMs: number;
  commitEnd: number;
  commitMs: number;
}

export interface TxOutcome {
  readonly height: number;
  readonly code: number;
  committedAt: number;
}

export interface MethodTotals {
  count: number;
  /** Wall time from the call to its answer (the app does nothing else meanwhile: one FIFO). */
  ms: number;
  /** Answers with a non-zero code (CheckTx only). */
  rejected: number;
}

export interface ProbeTotals {
  readonly checkTx: MethodTotals;
  readonly recheckTx: MethodTotals;
  readonly finalizeBlock: MethodTotals;
  readonly commit: MethodTotals;
  readonly query: MethodTotals;
  readonly prepareProposal: MethodTotals;
}

const zero = (): MethodTotals => ({ count: 0, ms: 0, rejected: 0 });

/**
 * This thread's user + system CPU time in ms (getrusage RUSAGE_THREAD). Meaningful over seconds; on
 * this VM, deltas over single calls of a few hundred µs are not (they read far below the wall time
 * even on an idle machine), so the probe times calls by the wall clock only.
 */
export function threadCpuMs(): number {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
}

/** Times `call` into `totals`. */
async function timed<T>(totals: () => MethodTotals, call: () => Promise<T>): Promise<{ res: T; ms: number }> {
  const start = performance.now();
  const res = await call();
  const ms = performance.now() - start;
  const t = totals();
  t.count++;
  t.ms += ms;
  return { res, ms };
}

/** A tx's hash as CometBFT names it: uppercase hex of the SHA-256 of its bytes. */
export function cometTxHash(tx: Uint8Array): string {
  return hash('sha256', tx, 'hex').toUpperCase();
}

export class AppProbe {
  readonly blocks: BlockStat[] = [];
  readonly #outcomes = new Map<string, TxOutcome>();
  /** Blocks whose txs are not yet in #outcomes: hashing them is left until they are read, off the app's thread's busy time. */
  #unhashed: { readonly txs: readonly Uint8Array[]; readonly outcomes: readonly TxOutcome[] }[] = [];
  readonly #totals: ProbeTotals = {
    checkTx: zero(),
    recheckTx: zero(),
    finalizeBlock: zero(),
    commit: zero(),
    query: zero(),
    prepareProposal: zero(),
  };
  #pending: { block: BlockStat; txs: TxOutcome[] } | undefined;

  constructor(app: CairnApp) {
    const t = this.#totals;
    const checkTx = app.checkTx.bind(app);
    app.checkTx = async (req) => {
      const recheck = req.type === CheckTxType.RECHECK;
      const { res } = await timed(() => (recheck ? t.recheckTx : t.checkTx), () => checkTx(req));
      if (res.code !== 0) (recheck ? t.recheckTx : t.checkTx).rejected++;
      return res;
    };
    const query = app.query.bind(app);
    app.query = async (req) => (await timed(() => t.query, () => query(req))).res;
    const prepare = app.prepareProposal.bind(app);
    app.prepareProposal = async (req) => (await timed(() => t.prepareProposal, () => prepare(req))).res;
    const finalize = app.finalizeBlock.bind(app);
    app.finalizeBlock = async (req) => {
      const finalizeStart = epochMs();
      const { res, ms: finalizeMs } = await timed(() => t.finalizeBlock, () => finalize(req));
      // Bookkeeping outside the timed part.
      const txs: TxOutcome[] = [];
      let ok = 0;
      for (let i = 0; i < req.txs.length; i++) {
        const code = res.txResults[i]?.code ?? -1;
        if (code === 0) ok++;
        txs.push({ height: Number(req.height), code, committedAt: 0 });
      }
      this.#unhashed.push({ txs: req.txs, outcomes: txs });
      const time = req.time === undefined ? 0 : Number(req.time.seconds) * 1000 + req.time.nanos / 1e6;
      const block: BlockStat = {
        height: Number(req.height),
        headerTime: time,
        txs: req.txs.length,
        ok,
        lastCommitRound: req.decidedLastCommit?.round ?? 0,
        finalizeStart,
        finalizeMs,
        commitEnd: 0,
        commitMs: 0,
      };
      this.#pending = { block, txs };
      return res;
    };
    const commit = app.commit.bind(app);
    app.commit = async () => {
      const { res, ms: commitMs } = await timed(() => t.commit, () => commit());
      const commitEnd = epochMs();
      const pending = this.#pending;
      this.#pending = undefined;
      if (pending !== undefined) {
        pending.block.commitEnd = commitEnd;
        pending.block.commitMs = commitMs;
        for (const o of pending.txs) o.committedAt = commitEnd;
        this.blocks.push(pending.block);
      }
      return res;
    };
  }

  /** Every finalized tx so far by CometBFT tx hash (uppercase hex of sha256 of the tx bytes). */
  get outcomes(): ReadonlyMap<string, TxOutcome> {
    if (this.#unhashed.length > 0) {
      for (const block of this.#unhashed) block.txs.forEach((tx, i) => this.#outcomes.set(cometTxHash(tx), block.outcomes[i] as TxOutcome));
      this.#unhashed = [];
    }
    return this.#outcomes;
  }

  /** A copy of the running totals; subtract two with `diffTotals`. */
  totals(): ProbeTotals {
    return structuredClone(this.#totals);
  }
}

export function diffTotals(after: ProbeTotals, before: ProbeTotals): ProbeTotals {
  const d = (a: MethodTotals, b: MethodTotals): MethodTotals => ({
    count: a.count - b.count,
    ms: a.ms - b.ms,
    rejected: a.rejected - b.rejected,
  });
  return {
    checkTx: d(after.checkTx, before.checkTx),
    recheckTx: d(after.recheckTx, before.recheckTx),
    finalizeBlock: d(after.finalizeBlock, before.finalizeBlock),
    commit: d(after.commit, before.commit),
    query: d(after.query, before.query),
    prepareProposal: d(after.prepareProposal, before.prepareProposal),
  };
}
