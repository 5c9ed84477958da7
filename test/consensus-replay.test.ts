// Consensus guard: a fixed stream of blocks (bank sends, good and refused, test/support/bank-stream.ts)
// must give the app hash, tx results and whole FinalizeBlock response recorded in
// test/fixtures/consensus-replay.json, whether or not CheckTx saw the txs first (a node's caches
// must not change a block's outcome). A change that alters consensus on purpose re-records it with
// CAIRN_RECORD_REPLAY=1 npx vitest run test/consensus-replay.test.ts, and says so in its commit.
import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RecordedBlock, type StreamWallets, recordBlock, streamBlocks, streamChain, streamWallets } from './support/bank-stream.ts';

const FIXTURE = new URL('./fixtures/consensus-replay.json', import.meta.url);
let wallets: StreamWallets;

beforeAll(async () => {
  wallets = await streamWallets();
});

async function run(withCheckTx: boolean): Promise<RecordedBlock[]> {
  const chain = await streamChain(wallets);
  const blocks = await streamBlocks(wallets, async (address) => (await chain.account(address)).accountNumber);
  const recorded: RecordedBlock[] = [];
  for (const [b, txs] of blocks.entries()) {
    const next = blocks[b + 1] ?? [];
    // As a node sees them: this block's txs and the next one's arrive through CheckTx before the
    // block is decided; what is left is rechecked after Commit.
    if (withCheckTx) for (const tx of [...txs, ...next]) await chain.checkTx(tx);
    await chain.block(txs);
    recorded.push(recordBlock(chain.height, chain.lastBlock!));
    if (withCheckTx) for (const tx of next) await chain.checkTx(tx, true);
  }
  return recorded;
}

describe('a recorded block stream of bank sends', () => {
  it('replays to the recorded app hashes and tx results', async () => {
    const got = await run(false);
    if (process.env['CAIRN_RECORD_REPLAY'] === '1') await writeFile(FIXTURE, `${JSON.stringify(got, null, 2)}\n`);
    const want = JSON.parse(await readFile(FIXTURE, 'utf8')) as RecordedBlock[];
    // The stream covers what it claims: successes and each kind of refusal.
    const codes = new Set(want.flatMap((b) => b.txs.map((t) => `${t.codespace}/${t.code}`)));
    expect([...codes].sort()).toEqual(['/0', 'sdk/2', 'sdk/32', 'sdk/4', 'sdk/5'].sort());
    expect(got).toEqual(want);
  });

  it('gives the same blocks when CheckTx and ReCheckTx ran on the txs first', async () => {
    const want = JSON.parse(await readFile(FIXTURE, 'utf8')) as RecordedBlock[];
    expect(await run(true)).toEqual(want);
  });
});
