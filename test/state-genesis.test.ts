// The big-state bench's genesis (bench/state-genesis.ts): filler accounts, operators and receipt
// batches streamed as text must still be a genesis the chain accepts, with its escrow accounting
// right, and its pending batches must finalize on the new chain as the bench's blocks expect.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fillerAddress, pendingBatches, writeBigGenesis } from '../bench/state-genesis.ts';
import { buildGenesis, genesisPath, writeGenesis } from '../node/cometbft/genesis.ts';
import { defaultAppState, type AppState } from '../node/genesis.ts';
import { QueryBatchRequest, QueryBatchResponse, QueryEscrowRequest, QueryEscrowResponse } from '../proto/gen/cairn/receipts/v1/query.ts';
import { BatchStatus } from '../proto/gen/cairn/receipts/v1/types.ts';
import { AppChain, CHAIN_ID, checkAppState } from './support/app-chain.ts';
import { testDir } from './support/test-dirs.ts';

const homes: string[] = [];
afterEach(async () => {
  for (const h of homes.splice(0)) await rm(h, { recursive: true, force: true });
});

async function bigAppState(fill: number, operators: number, batches: number): Promise<AppState> {
  const home = await testDir('cairn-state-genesis-');
  homes.push(home);
  await mkdir(join(home, 'config'), { recursive: true });
  await writeGenesis(home, buildGenesis({ chainId: CHAIN_ID, validators: [], appState: defaultAppState() }));
  await writeBigGenesis(home, fill, operators, batches);
  return (JSON.parse(await readFile(genesisPath(home), 'utf8')) as { app_state: AppState }).app_state;
}

async function batch(chain: AppChain, id: bigint): Promise<QueryBatchResponse['batch']> {
  const r = await chain.query('/cairn.receipts.v1.Query/Batch', QueryBatchRequest.encode({ id }).finish());
  if (r.code !== 0) throw new Error(r.log);
  return QueryBatchResponse.decode(r.value).batch;
}

async function locked(chain: AppChain, payer: string): Promise<bigint> {
  const r = await chain.query('/cairn.receipts.v1.Query/Escrow', QueryEscrowRequest.encode({ payer }).finish());
  if (r.code !== 0) throw new Error(r.log);
  return BigInt(QueryEscrowResponse.decode(r.value).escrow!.locked);
}

describe('the big-state bench genesis', () => {
  it('without batches is a genesis the chain accepts', async () => {
    await expect(checkAppState(await bigAppState(300, 20, 0))).resolves.toBeDefined();
  });

  it('holds finalized and pending batches the chain accepts, and the pending ones settle from the locked escrow', async () => {
    const batches = 240;
    const pending = pendingBatches(batches, 3600n, 600n);
    expect(pending).toBe(4); // the last dispute window of 10 hour-long epochs
    const appState = await bigAppState(300, 20, batches);
    await checkAppState(appState);
    // What the genesis says of the oldest pending batch: its window ends at block 1.
    const receipts = appState['receipts'] as { batches: { id: string; status: string; dispute_end: string; payer: string; operator: string; amount: { amount: string } }[]; escrows: { payer: string; locked: string }[] };
    const oldest = receipts.batches.find((b) => b.status === 'BATCH_STATUS_PENDING')!;
    expect(oldest).toMatchObject({ id: String(batches - pending + 1), dispute_end: '1', operator: fillerAddress((batches - pending) % 20) });
    expect(receipts.batches.filter((b) => b.status === 'BATCH_STATUS_FINALIZED')).toHaveLength(batches - pending);
    const lockedBefore = BigInt(receipts.escrows.find((e) => e.payer === oldest.payer)!.locked);
    const balances = (appState['bank'] as { balances: { address: string; coins: { amount: string }[] }[] }).balances;
    const operatorBefore = BigInt(balances.find((b) => b.address === oldest.operator)!.coins[0]!.amount);
    expect(lockedBefore).toBeGreaterThanOrEqual(BigInt(oldest.amount.amount));

    // AppChain checks every module's invariants (escrow backing, locked = pending) after each block.
    const chain = await AppChain.start({ appState });
    await chain.block();
    const settled = (await batch(chain, BigInt(oldest.id)))!;
    expect(settled.status).toBe(BatchStatus.BATCH_STATUS_FINALIZED);
    expect(await locked(chain, oldest.payer)).toBe(lockedBefore - BigInt(oldest.amount.amount));
    expect(await chain.balance(oldest.operator)).toBe(operatorBefore + BigInt(settled.split!.operatorAmount));
    expect((await batch(chain, BigInt(oldest.id) + 1n))!.status).toBe(BatchStatus.BATCH_STATUS_PENDING);
    expect((await batch(chain, 1n))!.status).toBe(BatchStatus.BATCH_STATUS_FINALIZED);
    expect((await chain.query('/cairn.receipts.v1.Query/Batch', QueryBatchRequest.encode({ id: BigInt(batches + 1) }).finish())).code).not.toBe(0);
  });
});
