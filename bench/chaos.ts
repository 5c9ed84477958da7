// `npm run chaos [-- --blocks N] [--seed S]`: the long chaos run (test/support/chaos.ts) on a
// 4-validator localnet in a temporary directory; prints what it covered and what it found.
// Bounded: it stops after N blocks (default 1000) once every fault kind ran 5 times, or after 90
// minutes, and removes the localnet.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runChaos } from '../test/support/chaos.ts';

const { values } = parseArgs({ options: { blocks: { type: 'string', default: '1000' }, seed: { type: 'string' }, 'block-time': { type: 'string', default: '500' } } });
const blocks = Number(values.blocks);
const seed = values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed);
console.log(`chaos: ${blocks} blocks, seed ${seed}; 4 validators on loopback, faults one after another`);
// Ctrl-C ends the run early; the localnet is taken down and what was covered is still reported.
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());
const report = await runChaos({
  signal: stop.signal,
  dir: join(await mkdtemp(join(tmpdir(), 'cairn-chaos-')), 'net'),
  blocks,
  minEachFault: 5,
  blockTimeMs: Number(values['block-time']),
  deadlineMs: 90 * 60_000,
  seed,
  note: (line) => console.log(`  ${line}`),
});
const rows: [string, string][] = [
  ['blocks covered', String(report.blocks)],
  ['faults injected', Object.entries(report.faults).map(([k, n]) => `${k} ${n}`).join(', ')],
  ['divergences', String(report.divergences)],
  ['worst recovery', `${(report.worstRecoveryMs / 1000).toFixed(1)} s`],
  ['txs in blocks', String(report.txs)],
  ['load txs committed / failed attempts', `${report.committedByLoad} / ${report.loadErrors}`],
  ['committed txs missing from an index', String(report.unindexed.length)],
  ['wall time', `${report.seconds} s`],
];
for (const [k, v] of rows) console.log(`${k.padEnd(38)} ${v}`);
for (const d of report.divergenceDetail) console.log(`DIVERGENCE ${d}`);
for (const u of report.unindexed.slice(0, 20)) console.log(`UNINDEXED ${u}`);
process.exitCode = report.divergences === 0 && report.unindexed.length === 0 ? 0 : 1;
