// CometBFT's psql event sink into a real PostgreSQL (Debian's server, a private cluster), read by
// the explorer: a single-node chain indexes into the project's schema; a bank send and a receipts
// deposit land in the SQL tables; the explorer's tx lookup (what its search opens) and an
// address's history come from SQL and agree with the tables and with the chain's REST; the node's
// own tx lookups say clearly that they need kv; the start-up repair after a crash refills what the
// sink missed; a database that goes away is an error on the page, the node keeps making blocks,
// and a crashed node still starts without it.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cometbftBinary } from '../node/cometbft/binary.ts';
import { readConfigValue } from '../node/cometbft/config.ts';
import { repairIndexAfterCrash } from '../node/cometbft/process.ts';
import { rpcCall, waitForHeight } from '../node/cometbft/rpc.ts';
import { PsqlTxIndex } from '../node/indexer/psql.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { receiptsMsgs } from '../sdk/receipts/messages.ts';
import { runCli } from '../cli/main.ts';
import { memoryIo } from './support/cli-io.ts';
import { eventually } from './support/localnet.ts';
import { createTestHome, type TestHome } from './support/node-home.ts';
import { type PostgresCluster, startPostgres } from './support/postgres.ts';
import { sendMsg, signTx, type TestWallet, testWallet } from './support/wallets.ts';

let db: PostgresCluster;
let sql: pg.Client;
let home: TestHome;
let node: RunningNode;
let alice: TestWallet;
let bob: TestWallet;
let explorer: string;
let rest: string;
const hashes = { send: '', deposit: '' };

const SENT = 1_234_567n;

async function broadcast(tx: Uint8Array): Promise<string> {
  const r = (await rpcCall(home.rpcUrl, 'broadcast_tx_sync', { tx: Buffer.from(tx).toString('base64') })) as { code: number; log: string; hash: string };
  expect(r.code, r.log).toBe(0);
  return r.hash.toUpperCase();
}

async function get(base: string, path: string): Promise<{ status: number; body: Record<string, any>; headers: Headers }> {
  const r = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(20_000) });
  return { status: r.status, body: (await r.json()) as Record<string, any>, headers: r.headers };
}

async function start(): Promise<void> {
  node = await startNode({
    home: home.home,
    logger: silentLogger,
    withCometbft: true,
    config: { apiEnabled: true, apiAddress: 'tcp://127.0.0.1:0', grpcAddress: '127.0.0.1:0', explorerEnabled: true, explorerAddress: '127.0.0.1:0' },
  });
  rest = node.api!.url.replace(/\/$/, '');
  explorer = node.explorer!.url.replace(/\/$/, '');
}

/** What the node runs at start after an unclean exit (node/cometbft/process.ts), its output to repair.log. */
async function repair(): Promise<void> {
  const log = openSync(join(home.home, 'repair.log'), 'a');
  try {
    await repairIndexAfterCrash(cometbftBinary(), home.home, undefined, log, true);
  } finally {
    closeSync(log);
  }
}

beforeAll(async () => {
  [alice, bob] = await Promise.all([testWallet(0), testWallet(1)]);
  [db, home] = await Promise.all([startPostgres(), createTestHome([{ address: alice.address, amount: 10_000_000_000n }])]);
  // What an operator runs: the sink's tables, config.toml [tx_index] and app.toml [explorer] psql,
  // here on a home made before app.toml had [explorer] psql (the command adds the key).
  const appToml = join(home.home, 'config', 'app.toml');
  writeFileSync(appToml, readFileSync(appToml, 'utf8').replace(/^psql = .*\n/m, ''));
  const io = memoryIo();
  expect(await runCli(['indexer', 'psql', '--conn', db.url, '--home', home.home], io), io.stderrText()).toBe(0);
  expect(await readConfigValue(home.home, 'tx_index', 'indexer')).toBe('psql');
  sql = new pg.Client(db.url);
  await sql.connect();
  await start();
  await waitForHeight(home.rpcUrl, 2, 60_000);
  const account = (await get(rest, `/cosmos/auth/v1beta1/accounts/${alice.address}`)).body['account'];
  const o = { chainId: home.chainId, accountNumber: BigInt(account.account_number) };
  hashes.send = await broadcast(await signTx(alice, [sendMsg(alice.address, bob.address, SENT.toString())], { ...o, sequence: 0n, memo: 'psql send' }));
  const deposit = receiptsMsgs.MsgDepositEscrow({ payer: alice.address, amount: { denom: 'ucairn', amount: '1000000' } });
  hashes.deposit = await broadcast(await signTx(alice, [deposit], { ...o, sequence: 1n }));
  // CometBFT writes the sink after each commit; both txs are in the tables once it has.
  await eventually('both txs in PostgreSQL', 30_000, async () => {
    const r = await sql.query('SELECT count(*)::int AS n FROM tx_results WHERE tx_hash = ANY($1)', [[hashes.send, hashes.deposit]]);
    return r.rows[0].n === 2 ? true : undefined;
  });
}, 90_000);

afterAll(async () => {
  await sql?.end().catch(() => undefined);
  await node?.stop();
  await db?.stop();
});

describe('the psql event sink and the explorer reading it', () => {
  it('CometBFT writes blocks, txs, events and indexed attributes into the schema', async () => {
    const blocks = await sql.query('SELECT min(height)::int AS lo, max(height)::int AS hi, count(DISTINCT chain_id)::int AS chains, max(chain_id) AS chain FROM blocks');
    expect(blocks.rows[0]).toMatchObject({ lo: 1, chains: 1, chain: home.chainId });
    const attrs = await sql.query(
      `SELECT composite_key, value FROM tx_events WHERE composite_key IN ('tx.hash', 'transfer.recipient', 'message.sender', 'escrow_deposit.payer') AND height = (SELECT b.height FROM blocks b JOIN tx_results t ON t.block_id = b.rowid WHERE t.tx_hash = $1)`,
      [hashes.send],
    );
    const seen = attrs.rows.map((r) => `${r.composite_key}=${r.value}`);
    expect(seen).toContain(`tx.hash=${hashes.send}`);
    expect(seen).toContain(`transfer.recipient=${bob.address}`);
    const deposit = await sql.query(`SELECT value FROM event_attributes ea JOIN tx_results t ON t.rowid = ea.tx_id WHERE t.tx_hash = $1 AND ea.composite_key = 'escrow_deposit.payer'`, [hashes.deposit]);
    expect(deposit.rows.map((r) => r.value)).toEqual([alice.address]);
    // A database nobody set up (the cluster's own `postgres`) says what to run.
    const bare = new PsqlTxIndex({ url: db.url.replace(/\/cairn\?/, '/postgres?'), chainId: home.chainId });
    await expect(bare.check()).rejects.toThrow(/no event-sink tables: run `cairn indexer psql/);
    await bare.close();
  });

  it('the explorer finds a tx by hash from SQL, with the values the tables and REST hold', async () => {
    const found = await get(explorer, `/api/cosmos/tx/v1beta1/txs/${hashes.send.toLowerCase()}`);
    expect(found.status).toBe(200);
    expect(found.headers.get('x-explorer-index')).toBe('psql');
    const t = found.body['tx_response'];
    const row = (await sql.query('SELECT b.height::text AS height, t.index FROM tx_results t JOIN blocks b ON b.rowid = t.block_id WHERE t.tx_hash = $1', [hashes.send])).rows[0];
    expect(t).toMatchObject({ txhash: hashes.send, height: row.height, code: 0 });
    expect(found.body['tx'].body.memo).toBe('psql send');
    expect(found.body['tx'].body.messages[0]).toMatchObject({ '@type': '/cosmos.bank.v1beta1.MsgSend', from_address: alice.address, to_address: bob.address, amount: [{ denom: 'ucairn', amount: SENT.toString() }] });
    // The chain's REST: the block at that height holds these bytes, at that index, at that time; bob holds what was sent.
    const block = (await get(rest, `/cosmos/base/tendermint/v1beta1/blocks/${row.height}`)).body['block'];
    const bytes = Buffer.from(block.data.txs[row.index], 'base64');
    expect(createHash('sha256').update(bytes).digest('hex').toUpperCase()).toBe(hashes.send);
    expect(t.timestamp).toBe(block.header.time);
    const balance = (await get(rest, `/cosmos/bank/v1beta1/balances/${bob.address}/by_denom?denom=ucairn`)).body['balance'];
    expect(balance.amount).toBe(SENT.toString());
    // The module message, its events as the app emitted them.
    const dep = (await get(explorer, `/api/cosmos/tx/v1beta1/txs/${hashes.deposit}`)).body;
    expect(dep['tx'].body.messages[0]['@type']).toBe('/cairn.receipts.v1.MsgDepositEscrow');
    expect(dep['tx_response'].events.find((e: { type: string }) => e.type === 'escrow_deposit').attributes).toContainEqual({ key: 'payer', value: alice.address, index: true });
    const escrow = (await get(rest, `/cairn/receipts/v1/escrow?payer=${alice.address}`)).body['escrow'];
    expect(escrow.available).toBe('1000000');
  });

  it('an address history and the recent txs are SQL reads, newest first, bounded', async () => {
    const sent = await get(explorer, `/api/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(`message.sender='${alice.address}'`)}&order_by=ORDER_BY_DESC&pagination.limit=20`);
    expect(sent.status).toBe(200);
    expect(sent.headers.get('x-explorer-index')).toBe('psql');
    // The deposit was sent second: a later block, or later in the same block.
    expect(sent.body['tx_responses'].map((r: { txhash: string }) => r.txhash)).toEqual([hashes.deposit, hashes.send]);
    expect(sent.body['total']).toBe('2');
    const received = await get(explorer, `/api/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(`transfer.recipient='${bob.address}'`)}&order_by=ORDER_BY_DESC`);
    expect(received.body['tx_responses'].map((r: { txhash: string }) => r.txhash)).toEqual([hashes.send]);
    const recent = await get(explorer, `/api/cosmos/tx/v1beta1/txs?query=${encodeURIComponent('tx.height>0')}&order_by=ORDER_BY_DESC&pagination.limit=1`);
    expect(recent.body['tx_responses']).toHaveLength(1);
    // Bad input is the caller's, and says why.
    const tooMany = await get(explorer, `/api/cosmos/tx/v1beta1/txs?query=tx.height>0&pagination.limit=101`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body['message']).toMatch(/limit must be 1 to 100/);
    const injection = await get(explorer, `/api/cosmos/tx/v1beta1/txs?query=${encodeURIComponent("message.sender='x' OR 1=1; DROP TABLE blocks")}`);
    expect(injection.status).toBe(400);
    expect(injection.body['message']).toMatch(/expected AND/);
    const none = await get(explorer, `/api/cosmos/tx/v1beta1/txs/${'AB'.repeat(32)}`);
    expect(none.status).toBe(404);
  });

  it('the node\'s own tx lookups say they need the kv index', async () => {
    const r = await get(rest, `/cosmos/tx/v1beta1/txs/${hashes.send}`);
    expect(r.status).toBe(501);
    expect(r.body['message']).toMatch(/indexer = "psql".*kv/s);
    const io = memoryIo();
    expect(await runCli(['query', 'tx', hashes.send, '--node', home.rpcUrl], io)).not.toBe(0);
    expect(io.stderrText()).toMatch(/keeps no kv tx index.*indexer = "kv"/s);
  });

  it('after a crash, the start-up repair refills the txs PostgreSQL missed', async () => {
    await node.stop();
    // What a kill between commit and indexing leaves: the block's txs absent from the sink.
    const gone = await sql.query('SELECT rowid FROM tx_results WHERE tx_hash = $1', [hashes.send]);
    await sql.query('DELETE FROM attributes WHERE event_id IN (SELECT rowid FROM events WHERE tx_id = $1)', [gone.rows[0].rowid]);
    await sql.query('DELETE FROM events WHERE tx_id = $1', [gone.rows[0].rowid]);
    await sql.query('DELETE FROM tx_results WHERE rowid = $1', [gone.rows[0].rowid]);
    const before = (await sql.query('SELECT count(*)::int AS n FROM tx_results')).rows[0].n;
    await repair();
    const back = await sql.query('SELECT b.height::text AS height FROM tx_results t JOIN blocks b ON b.rowid = t.block_id WHERE t.tx_hash = $1', [hashes.send]);
    expect(back.rows).toHaveLength(1);
    // Blocks and txs it already had are skipped, not doubled.
    expect((await sql.query('SELECT count(*)::int AS n FROM tx_results')).rows[0].n).toBe(before + 1);
    expect((await sql.query('SELECT count(*)::int AS n FROM (SELECT height FROM blocks GROUP BY height HAVING count(*) > 1) d')).rows[0].n).toBe(0);
    await start();
    const found = await get(explorer, `/api/cosmos/tx/v1beta1/txs/${hashes.send}`);
    expect(found.body['tx_response'].height).toBe(back.rows[0].height);
  });

  it('a database that goes away is an error on the page, and the node keeps making blocks', async () => {
    await sql.end();
    await db.stop();
    const r = await get(explorer, `/api/cosmos/tx/v1beta1/txs/${hashes.send}`);
    expect(r.status).toBe(503);
    expect(r.body['message']).toMatch(/PostgreSQL index did not answer/);
    const height = Number((await get(rest, '/cosmos/base/tendermint/v1beta1/blocks/latest')).body['block'].header.height);
    await waitForHeight(home.rpcUrl, height + 2, 30_000);
    // The rest of the page still reads the node.
    expect((await get(explorer, `/api/cosmos/bank/v1beta1/balances/${bob.address}`)).status).toBe(200);
    // A crashed node whose database is down still starts: the repair says so in the log and steps aside.
    await node.stop();
    await repair();
    expect(readFileSync(join(home.home, 'repair.log'), 'utf8')).toMatch(/could not refill the PostgreSQL tx index after a crash/);
  });
});
