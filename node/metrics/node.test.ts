// The node's metrics over an in-process chain: what CometBFT's calls count, the economics read when a
// scrape finds a new height, and the same app hashes with and without the instrumentation.
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppChain, CHAIN_ID } from '../../test/support/app-chain.ts';
import { type TestWallet, sendMsg, signTx, testWallet } from '../../test/support/wallets.ts';
import { silentLogger } from '../log.ts';
import { NodeMetrics } from './node.ts';

const FUNDS = 1_000_000_000n;
let alice: TestWallet;
let bob: TestWallet;
let dir: string;

beforeAll(async () => {
  [alice, bob] = await Promise.all([testWallet(0), testWallet(1)]);
  dir = await mkdtemp(join(tmpdir(), 'cairn-metrics-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Series (name and sorted labels, e.g. `a{x="1",y="2"}`) → value, from the exposition text. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) continue;
    const labels = (m[2] ?? '').match(/[a-zA-Z_]+="(?:[^"\\]|\\.)*"/g) ?? [];
    out.set(labels.length === 0 ? m[1]! : `${m[1]}{${[...labels].sort().join(',')}}`, Number(m[3]));
  }
  return out;
}

async function start(instrumented: boolean): Promise<{ chain: AppChain; metrics: NodeMetrics | undefined }> {
  let metrics: NodeMetrics | undefined;
  const chain = await AppChain.start({
    funded: [{ address: alice.address, amount: FUNDS }],
    ...(instrumented
      ? {
          instrument: (app) => {
            metrics = new NodeMetrics({ app, dataDir: dir, logger: silentLogger, validatorAddress: 'AB'.repeat(20) });
            return metrics.instrument(app);
          },
        }
      : {}),
  });
  await metrics?.start();
  await chain.block();
  return { chain, metrics };
}

async function send(c: AppChain, amount: string): Promise<Uint8Array> {
  const acc = await c.account(alice.address);
  return signTx(alice, [sendMsg(alice.address, bob.address, amount)], { chainId: CHAIN_ID, accountNumber: acc.accountNumber, sequence: acc.sequence });
}

const SEND = '/cosmos.bank.v1beta1.MsgSend';

describe('node metrics', () => {
  it('count CheckTx and FinalizeBlock results by code and message type, blocks, missed signatures and request times; the economics of the last committed height', async () => {
    const { chain, metrics } = await start(true);
    const plain = await start(false);
    try {
      const good = await send(chain, '1000');
      // Signed with the same sequence as `good`: executed after it, it fails (code 32).
      const stale = await send(chain, '2000');
      expect((await chain.checkTx(good)).code).toBe(0);
      expect((await chain.checkTx(new Uint8Array([1, 2, 3]))).code).not.toBe(0);
      const absent = { validator: { address: new Uint8Array(20).fill(0xab), power: 10n }, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT };
      const results = await chain.block([good, stale], { votes: [absent] });
      expect(results.map((r) => r.code === 0)).toEqual([true, false]);
      await plain.chain.block([good, stale], { votes: [absent] });
      // The instrumentation changes nothing the chain agrees on.
      expect(chain.appHashes.map((h) => Buffer.from(h).toString('hex'))).toEqual(plain.chain.appHashes.map((h) => Buffer.from(h).toString('hex')));

      const until = async (): Promise<Map<string, number>> => {
        for (let i = 0; i < 200; i++) {
          const m = parse(await metrics!.text());
          if (m.get('cairn_economics_height') === Number(chain.height)) return m;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error('the economics were never read at the last height');
      };
      const m = await until();
      expect(m.get(`cairn_check_tx_total{code="0",codespace="",msg_type="${SEND}",type="check"}`)).toBe(1);
      expect(m.get('cairn_check_tx_total{code="2",codespace="sdk",msg_type="undecodable",type="check"}')).toBe(1);
      expect(m.get(`cairn_tx_results_total{code="0",codespace="",msg_type="${SEND}"}`)).toBe(1);
      expect(m.get(`cairn_tx_results_total{code="32",codespace="sdk",msg_type="${SEND}"}`)).toBe(1);
      expect(m.get('cairn_block_txs_sum')).toBe(2);
      expect(m.get('cairn_block_txs_count')).toBe(2);
      expect(m.get('cairn_block_tx_bytes_sum')).toBe(good.length + stale.length);
      expect(m.get(`cairn_consensus_missed_signatures_total{validator="${'AB'.repeat(20)}"}`)).toBe(1);
      expect(m.get(`cairn_node_validator_info{validator="${'AB'.repeat(20)}"}`)).toBe(1);
      expect(m.get('cairn_abci_request_duration_seconds_count{method="finalize_block"}')).toBe(2);
      expect(m.get('cairn_abci_request_duration_seconds_count{method="commit"}')).toBe(2);
      expect(m.get('cairn_abci_request_duration_seconds_count{method="check_tx"}')).toBe(2);
      expect(m.get('cairn_app_height')).toBe(Number(chain.height));
      expect(m.get('cairn_block_timestamp_seconds')).toBeGreaterThan(0);
      // The economics: what bank holds, and nothing of receipts yet.
      const supply = await chain.app.bank.supplyOf(chain.store.committed, 'ucairn');
      expect(m.get('cairn_supply{denom="ucairn"}')).toBe(Number(supply));
      expect(m.get('cairn_batches{status="pending"}')).toBe(0);
      expect(m.get('cairn_open_challenges{kind="capacity"}')).toBe(0);
      expect(m.get('cairn_emission_max_supply')).toBeGreaterThan(Number(supply));
      // The process's own series come with them.
      expect(m.get('process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(m.get('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
      expect([...m.keys()].some((k) => k.startsWith('nodejs_eventloop_lag_p99_seconds'))).toBe(true);
    } finally {
      await metrics?.stop();
    }
  });

  it('read the economics when a scrape finds a new committed height, never for a block nobody scraped', async () => {
    const { chain, metrics } = await start(true);
    const plain = await start(false);
    // Blocks read committed state themselves (AppChain checks the invariants after each): a node with
    // metrics must read exactly what one without them reads, until a scrape comes.
    const reads = vi.spyOn(chain.store.committed, 'iterate');
    const plainReads = vi.spyOn(plain.chain.store.committed, 'iterate');
    const blocks = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) await Promise.all([chain.block(), plain.chain.block()]);
      await new Promise((resolve) => setTimeout(resolve, 50)); // room for a read a Commit would have scheduled
    };
    try {
      await blocks(3);
      expect(reads.mock.calls).toHaveLength(plainReads.mock.calls.length);
      expect(parse(await metrics!.text()).get('cairn_economics_height')).toBe(Number(chain.height));
      const perRead = reads.mock.calls.length - plainReads.mock.calls.length;
      expect(perRead).toBeGreaterThan(0);
      // The same height again: nothing is read; a new one: read once, whatever the scrapes.
      await metrics!.text();
      expect(reads.mock.calls).toHaveLength(plainReads.mock.calls.length + perRead);
      await blocks(1);
      const [a, b] = await Promise.all([metrics!.text(), metrics!.text()]);
      expect(parse(a).get('cairn_economics_height')).toBe(Number(chain.height));
      expect(parse(b).get('cairn_economics_height')).toBe(Number(chain.height));
      expect(reads.mock.calls).toHaveLength(plainReads.mock.calls.length + 2 * perRead);
    } finally {
      reads.mockRestore();
      plainReads.mockRestore();
      await metrics?.stop();
    }
  });

  it('count faults, slashes and challenges from the block events, with bounded labels', async () => {
    const { chain, metrics } = await start(true);
    await metrics!.stop();
    const ev = (type: string, attrs: Record<string, string>) => ({ type, attributes: Object.entries(attrs).map(([key, value]) => ({ key, value, index: true })) });
    metrics!.abci.onFinalizeBlock(
      { txs: [], height: 2n, time: { seconds: 10n, nanos: 0 }, decidedLastCommit: { round: 0, votes: [] }, hash: new Uint8Array(), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array() },
      {
        events: [ev('operator_fault', { kind: 'receipt fraud' }), ev('slash_operator', { reason: 'receipt fraud' }), ev('slash', { reason: 'double_sign' }), ev('capacity_challenge', {}), ev('operator_fault', { kind: '<script>' }), ev('operator_fault', { kind: 'x'.repeat(100) })],
        txResults: [],
        validatorUpdates: [],
        appHash: new Uint8Array(),
      },
    );
    const m = parse(await metrics!.text());
    expect(m.get('cairn_operator_faults_total{kind="receipt_fraud"}')).toBe(1);
    expect(m.get('cairn_operator_faults_total{kind="other"}')).toBe(2);
    // Known kinds are there at 0 before their first event.
    expect(m.get('cairn_operator_faults_total{kind="double_claim"}')).toBe(0);
    expect(m.get('cairn_validator_slashes_total{reason="missing_signature"}')).toBe(0);
    expect(m.get('cairn_operator_slashes_total{reason="receipt_fraud"}')).toBe(1);
    expect(m.get('cairn_validator_slashes_total{reason="double_sign"}')).toBe(1);
    expect(m.get('cairn_challenges_total{kind="capacity"}')).toBe(1);
    expect(chain.height).toBe(1n);
  });
});
