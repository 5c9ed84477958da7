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

export class AppProbe {
  readonly blocks: BlockStat[] = [];
  /** By CometBFT tx hash (uppercase hex of sha256 of the tx bytes). */
  readonly outcomes = new Map<string, TxOutcome>();
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
      const start = performance.now();
      const res = await checkTx(req);
      const totals = req.type === CheckTxType.RECHECK ? t.recheckTx : t.checkTx;
      totals.count++;
      totals.ms += performance.now() - start;
      if (res.code !== 0) totals.rejected++;
      return res;
    };
    const query = app.query.bind(app);
    app.query = async (req) => {
      const start = performance.now();
      const res = await query(req);
      t.query.count++;
      t.query.ms += performance.now() - start;
      return res;
    };
    const prepare = app.prepareProposal.bind(app);
    app.prepareProposal = async (req) => {
      const start = performance.now();
      const res = await prepare(req);
      t.prepareProposal.count++;
      t.prepareProposal.ms += performance.now() - start;
      return res;
    };
    const finalize = app.finalizeBlock.bind(app);
    app.finalizeBlock = async (req) => {
      const finalizeStart = epochMs();
      const start = performance.now();
      const res = await finalize(req);
      const finalizeMs = performance.now() - start;
      t.finalizeBlock.count++;
      t.finalizeBlock.ms += finalizeMs;
      // Bookkeeping outside the timed part.
      const txs: TxOutcome[] = [];
      let ok = 0;
      req.txs.forEach((tx, i) => {
        const code = res.txResults[i]?.code ?? -1;
        if (code === 0) ok++;
        const outcome: TxOutcome = { height: Number(req.height), code, committedAt: 0 };
        txs.push(outcome);
        this.outcomes.set(hash('sha256', tx, 'hex').toUpperCase(), outcome);
      });
      const time = req.time === undefined ? 0 : Number(req.time.seconds) * 1000 + req.time.nanos / 1e6;
      const block: BlockStat = { height: Number(req.height), headerTime: time, txs: req.txs.length, ok, finalizeStart, finalizeMs, commitEnd: 0, commitMs: 0 };
      this.#pending = { block, txs };
      return res;
    };
    const commit = app.commit.bind(app);
    app.commit = async () => {
      const start = performance.now();
      const res = await commit();
      const commitMs = performance.now() - start;
      const commitEnd = epochMs();
      t.commit.count++;
      t.commit.ms += commitMs;
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

  /** A copy of the running totals; subtract two with `diffTotals`. */
  totals(): ProbeTotals {
    return structuredClone(this.#totals);
  }
}

export function diffTotals(after: ProbeTotals, before: ProbeTotals): ProbeTotals {
  const d = (a: MethodTotals, b: MethodTotals): MethodTotals => ({ count: a.count - b.count, ms: a.ms - b.ms, rejected: a.rejected - b.rejected });
  return {
    checkTx: d(after.checkTx, before.checkTx),
    recheckTx: d(after.recheckTx, before.recheckTx),
    finalizeBlock: d(after.finalizeBlock, before.finalizeBlock),
    commit: d(after.commit, before.commit),
    query: d(after.query, before.query),
    prepareProposal: d(after.prepareProposal, before.prepareProposal),
  };
}
