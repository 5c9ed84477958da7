// Block cost on a big state, the app alone: node bench/state-blocks.ts --template DIR [options]
//
// bench/state.ts measures FinalizeBlock + Commit per send on a big and a small chain through
// CometBFT, in minutes; this drives a CairnApp on a copy of a prepared LevelDB store directly (as
// bench/app-only.ts does), so a change to the store can be compared A/B in seconds. The template
// (the state of bench/state.ts's genesis after block 1, and its signers' keys) is built on the first
// run into DIR and reused. Each run copies it, opens it as a restarted node would (cold caches),
// and runs blocks of bank sends from the signers to recipients spread over the whole state, as
// bench/state.ts's load does; CheckTx of each block's txs runs first, untimed, then ProcessProposal
// (which starts reading ahead the recipients' state), FinalizeBlock and Commit are timed (wall and
// this thread's CPU).
//
// With --batches N the template's genesis also holds N receipt batches (state-genesis.ts; all of
// epoch 0, most finalized) and its chain starts so that the run's last block is the epoch's last:
// that block closes an epoch of ~N finalized batches (receipts root, royalty root, emission) and is
// timed apart from the ordinary blocks before it.
//
//   --accounts 100000 --operators 10000 --signers 1000   (the template, when it is built)
//   --batches 0                   (the template; N > 0: the run ends on an epoch's close, warm + blocks fixed at the build)
//   --blocks 12 --block-txs 200 --warm 2                 (blocks timed after `warm` untimed ones; `--warm 100`
//                                                         for a node whose read cache has warmed)
//   --read-cache-size N                                  (the store's read cache; default: the store's)
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ClassicLevel } from '../core/store/level-reads.ts';
import { CheckTxType, ResponseProcessProposal_ProposalStatus } from 'cosmjs-types/tendermint/abci/types';
import { AddressCodec } from '../core/framework/address.ts';
import { CommitStore } from '../core/store/commit-store.ts';
import { CairnApp } from '../node/app.ts';
import { genesisPath } from '../node/cometbft/genesis.ts';
import { silentLogger } from '../node/log.ts';
import { createBenchHome, finalizeRequest } from './chain.ts';
import { fillerAddress, writeBigGenesis } from './state-genesis.ts';
import { type BenchAccount, makeAccounts, signSend } from './txs.ts';

const { values: args } = parseArgs({
  options: {
    template: { type: 'string' },
    accounts: { type: 'string', default: '100000' },
    operators: { type: 'string', default: '10000' },
    signers: { type: 'string', default: '1000' },
    batches: { type: 'string', default: '0' },
    blocks: { type: 'string', default: '12' },
    'block-txs': { type: 'string', default: '200' },
    warm: { type: 'string', default: '2' },
    'read-cache-size': { type: 'string' },
  },
});
const int = (name: keyof typeof args): number => {
  const n = Number(args[name]);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`--${name} must be a non-negative integer, got ${String(args[name])}`);
  return n;
};
const optInt = (name: keyof typeof args): number | undefined => (args[name] === undefined ? undefined : int(name));
if (args.template === undefined) throw new Error('--template DIR is required (built there on the first run)');
const template = args.template;
const MIN_GAS_PRICES = '0.025ucairn';
const SIGNER_AMOUNT = 10n ** 9n;

interface Template {
  readonly chainId: string;
  readonly accounts: number;
  readonly fill: number;
  readonly genesisSeconds: string;
  readonly signers: { privkey: string; pubkey: string; address: string }[];
  /** With batches: the height that closes the template's epoch, the run's last block. */
  readonly closeAt?: string;
}

async function buildTemplate(): Promise<void> {
  const signers = makeAccounts(int('signers'));
  const accounts = int('accounts');
  const fill = accounts - signers.length;
  const chainId = 'cairn-state-1';
  const bench = await createBenchHome({ funded: signers.map((s) => ({ address: s.address, amount: SIGNER_AMOUNT })), chainId });
  try {
    const batchCount = int('batches');
    await writeBigGenesis(bench.home, fill, Math.min(int('operators'), fill), batchCount);
    const doc = JSON.parse(await readFile(genesisPath(bench.home), 'utf8')) as { app_state: { receipts: { params: { epoch_blocks?: string } } }; genesis_time: string };
    const seconds = BigInt(Math.floor(Date.parse(doc.genesis_time) / 1000));
    // With batches, the template's block is followed by warm + blocks ordinary ones and the epoch's last.
    const closeAt = batchCount > 0 ? BigInt(doc.app_state.receipts.params.epoch_blocks ?? '3600') : undefined;
    const first = closeAt === undefined ? 1n : closeAt - BigInt(int('warm') + int('blocks') + 1);
    if (first < 1n) throw new RangeError(`--warm + --blocks must be below the epoch's ${closeAt} blocks`);
    await mkdir(template, { recursive: true });
    const store = await CommitStore.open({ path: join(template, 'store'), keepRecent: 0 });
    try {
      const app = new CairnApp({ store, logger: silentLogger, minGasPrices: MIN_GAS_PRICES });
      await app.load();
      await app.initChain({
        time: { seconds, nanos: 0 },
        chainId,
        consensusParams: undefined as never,
        validators: [],
        appStateBytes: new TextEncoder().encode(JSON.stringify(doc.app_state)),
        initialHeight: first,
      });
      await app.finalizeBlock(finalizeRequest(first, seconds + first, []));
      await app.commit();
    } finally {
      await store.close();
    }
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    const t: Template = { chainId, accounts, fill, genesisSeconds: String(seconds), signers: signers.map((s) => ({ privkey: hex(s.privkey), pubkey: hex(s.pubkey), address: s.address })), ...(closeAt === undefined ? {} : { closeAt: String(closeAt) }) };
    await writeFile(join(template, 'template.json'), JSON.stringify(t));
  } finally {
    await rm(bench.home, { recursive: true, force: true });
  }
}

/** What a set of blocks read and wrote in LevelDB: point reads by table ('L' latest values, ...), by wrapping getSync; Commit's batches (its write, sync): wall time, entries, bytes. */
interface Tally {
  readonly reads: Map<string, number>;
  ms: number;
  ops: number;
  bytes: number;
}
const newTally = (): Tally => ({ reads: new Map(), ms: 0, ops: 0, bytes: 0 });
/** Where the block being timed counts (none while untimed). */
let tally: Tally | undefined;
const getSync = ClassicLevel.prototype.getSync;
ClassicLevel.prototype.getSync = function (this: ClassicLevel, key: unknown, options?: unknown) {
  if (tally !== undefined && key instanceof Uint8Array) {
    const table = String.fromCharCode(key[0]!);
    tally.reads.set(table, (tally.reads.get(table) ?? 0) + 1);
  }
  return getSync.call(this, key as never, options as never);
} as typeof getSync;

const batch = ClassicLevel.prototype.batch;
ClassicLevel.prototype.batch = function (this: ClassicLevel, ...args: unknown[]) {
  const ops = args[0];
  if (tally === undefined || !Array.isArray(ops)) return (batch as (...a: unknown[]) => unknown).apply(this, args);
  return timedBatch(tally, this, ops, args[1]);
} as unknown as typeof batch;
async function timedBatch(into: Tally, db: ClassicLevel, ops: { key: Uint8Array; value?: Uint8Array }[], options: unknown): Promise<void> {
  const t = performance.now();
  try {
    await (batch as (...a: unknown[]) => Promise<void>).call(db, ops, options);
  } finally {
    into.ms += performance.now() - t;
    into.ops += ops.length;
    for (const op of ops) into.bytes += op.key.length + (op.value?.length ?? 0);
  }
}

async function main(): Promise<void> {
  if (!(await stat(join(template, 'template.json')).catch(() => undefined))) {
    const t0 = performance.now();
    await buildTemplate();
    console.error(`template built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const t = JSON.parse(await readFile(join(template, 'template.json'), 'utf8')) as Template;
  const dir = `${template}-run-${process.pid}`;
  await cp(join(template, 'store'), dir, { recursive: true });
  const readCacheSize = optInt('read-cache-size');
  const store = await CommitStore.open({ path: dir, keepRecent: 0, ...(readCacheSize === undefined ? {} : { readCacheSize }) });
  try {
    const app = new CairnApp({ store, logger: silentLogger, minGasPrices: MIN_GAS_PRICES });
    await app.load();
    const codec = new AddressCodec('cairn');
    const signers: BenchAccount[] = [];
    for (const s of t.signers) {
      const any = (await app.accounts.get(store.committed, codec.decode(s.address)))?.base;
      if (any === undefined) throw new Error(`${s.address} missing from the template`);
      signers.push({ privkey: Buffer.from(s.privkey, 'hex'), pubkey: Buffer.from(s.pubkey, 'hex'), address: s.address, accountNumber: any.accountNumber, sequence: any.sequence });
    }
    const addressAt = (i: number): string => (i < t.fill ? fillerAddress(i) : signers[i - t.fill]!.address);
    const blocks = int('blocks');
    const perBlock = int('block-txs');
    const warm = int('warm');
    const closeAt = t.closeAt === undefined ? undefined : BigInt(t.closeAt);
    if (closeAt !== undefined && store.lastHeight + BigInt(warm + blocks) + 1n !== closeAt) {
      throw new RangeError(`the template's epoch closes at height ${closeAt}: --warm + --blocks must be ${closeAt - store.lastHeight - 1n}, as when it was built`);
    }
    const ordinary = newTally();
    const closing = { tally: newTally(), finMs: 0, finCpuUs: 0, comMs: 0, comCpuUs: 0, batches: '?', events: 0 };
    let k = 0;
    let cpuUs = 0;
    let finCpuUs = 0;
    let finMs = 0;
    let comMs = 0;
    let sends = 0;
    const perBlockCpu: number[] = [];
    for (let b = 0; b < warm + blocks + (closeAt === undefined ? 0 : 1); b++) {
      const closes = b === warm + blocks;
      const txs: Uint8Array[] = [];
      for (let i = 0; i < perBlock; i++, k++) {
        const from = signers[k % signers.length]!;
        txs.push(signSend({ from, to: addressAt((k * 104_729) % t.accounts), amount: 1n, memo: '', sequence: from.sequence++, chainId: t.chainId }));
      }
      for (const tx of txs) {
        const r = await app.checkTx({ tx, type: CheckTxType.NEW });
        if (r.code !== 0) throw new Error(`CheckTx failed: ${r.log}`);
      }
      const height = store.lastHeight + 1n;
      tally = closes ? closing.tally : b >= warm ? ordinary : undefined;
      const request = finalizeRequest(height, BigInt(t.genesisSeconds) + height, txs);
      const cpu = process.threadCpuUsage();
      // As CometBFT does before its prevote; FinalizeBlock follows at once here, with no vote between.
      if ((await app.processProposal({ ...request, proposedLastCommit: request.decidedLastCommit })).status !== ResponseProcessProposal_ProposalStatus.ACCEPT) throw new Error(`block ${height} rejected`);
      let w = performance.now();
      const res = await app.finalizeBlock(request);
      const fin = performance.now() - w;
      const finCpu = process.threadCpuUsage(cpu);
      w = performance.now();
      await app.commit();
      const com = performance.now() - w;
      tally = undefined;
      const used = process.threadCpuUsage(cpu);
      const failed = res.txResults.filter((r) => r.code !== 0).length;
      if (failed > 0) throw new Error(`${failed} sends failed in block ${height}`);
      if (closes) {
        const roots = res.events.find((e) => e.type === 'receipts_epoch_roots');
        if (roots === undefined) throw new Error(`block ${height} closed no epoch`);
        Object.assign(closing, { finMs: fin, finCpuUs: finCpu.user + finCpu.system, comMs: com, comCpuUs: used.user + used.system - finCpu.user - finCpu.system, events: res.events.length });
        closing.batches = roots.attributes.find((a) => a.key === 'batches')?.value ?? '?';
        continue;
      }
      if (b < warm) continue;
      cpuUs += used.user + used.system;
      finCpuUs += finCpu.user + finCpu.system;
      perBlockCpu.push((used.user + used.system) / perBlock);
      finMs += fin;
      comMs += com;
      sends += perBlock;
    }
    const f = (x: number): string => x.toFixed(0);
    const perSend = (x: number): string => f(x / sends);
    const perBlockOf = (x: number): string => f(x / blocks);
    console.log(`${t.accounts} accounts (read cache ${readCacheSize ?? 'default'}): ${blocks} blocks of ${perBlock} sends after ${warm} untimed`);
    console.log(`  app thread CPU a send: ${perSend(cpuUs)} µs (ProcessProposal + FinalizeBlock ${perSend(finCpuUs)}, Commit ${perSend(cpuUs - finCpuUs)}); by block: ${perBlockCpu.map(f).join(' ')}`);
    console.log(`  wall a send: FinalizeBlock ${perSend(finMs * 1000)} + Commit ${perSend(comMs * 1000)} µs, of which the Commit's LevelDB batch ${perSend(ordinary.ms * 1000)} µs`);
    console.log(`  LevelDB point reads a send: ${[...ordinary.reads].map(([table, n]) => `${table} ${(n / sends).toFixed(1)}`).join(', ') || 'none'} (L latest values)`);
    console.log(`  Commit's batch a block: ${perBlockOf(ordinary.ops)} entries, ${f(ordinary.bytes / blocks / 1024)} KiB; RSS ${f(process.memoryUsage().rss / 2 ** 20)} MiB`);
    if (closeAt !== undefined) {
      const ms = (us: number): string => (us / 1000).toFixed(0);
      console.log(`  an ordinary block: FinalizeBlock ${(finMs / blocks).toFixed(0)} ms (CPU ${ms(finCpuUs / blocks)}), Commit ${(comMs / blocks).toFixed(0)} ms (CPU ${ms((cpuUs - finCpuUs) / blocks)})`);
      console.log(
        `  the epoch's last block (height ${closeAt}, ${closing.batches} finalized batches closed, ${closing.events} events): FinalizeBlock ${f(closing.finMs)} ms (CPU ${ms(closing.finCpuUs)}), ` +
          `Commit ${f(closing.comMs)} ms (CPU ${ms(closing.comCpuUs)}, LevelDB batch ${f(closing.tally.ms)} ms: ${closing.tally.ops} entries, ${f(closing.tally.bytes / 1024)} KiB); ` +
          `LevelDB point reads ${[...closing.tally.reads].map(([table, n]) => `${table} ${n}`).join(', ') || 'none'}`,
      );
    }
    console.log(`  peak RSS ${f(process.resourceUsage().maxRSS / 1024)} MiB`);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
