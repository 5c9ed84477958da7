// `cairn receipts publish` from a separate CLI process hands a batch file to a running node's
// libp2p host, which judges it against its committed state.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { batchJson } from '../cli/commands/receipts/files.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { publishBatch } from '../node/p2p/publish.ts';
import { MemoryChain, type TestOperator, eventually, startTestHost, testAddress, testReceipts } from './support/p2p.ts';
import { buildBatch, generateEd25519 } from '../sdk/index.ts';
import { fixedKey } from './support/receipts-fixtures.ts';
import { createTestHome } from './support/node-home.ts';
import { testDir } from './support/test-dirs.ts';

const CLI = join(import.meta.dirname, '..', 'cli', 'cairn.ts');
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const s of stops.reverse()) await s();
});

describe('publishing a batch', () => {
  it('publishBatch hands a signed batch to a listening peer, which accepts it', async () => {
    const chain = new MemoryChain();
    const op: TestOperator = { address: testAddress('op-pub'), key: fixedKey('op-pub'), payer: testAddress('payer-pub'), payerKey: fixedKey('payer-pub') };
    chain.register(op.address, op.key.publicKey);
    const node = await startTestHost(chain);
    stops.push(() => node.stop());
    const got: string[] = [];
    node.onDelivery((d) => void got.push(Buffer.from(d.opened.body.batch!.root).toString('hex')));
    const batch = buildBatch(testReceipts(op, 20));
    const sent = await publishBatch({ chainId: chain.chainId, height: chain.current, batch, signer: op.key, peers: node.addresses(), logger: silentLogger });
    expect(sent).toBe(1);
    await eventually('the batch at the node', () => got.length === 1);
    expect(got[0]).toBe(Buffer.from(batch.header.root).toString('hex'));
  }, 30_000);

  it('`cairn receipts publish` gossips a batch file to a running node', async () => {
    const { home } = await createTestHome([]);
    const node: RunningNode = await startNode({ home, logger: silentLogger, withCometbft: true, config: { p2pEnabled: true, p2pListen: ['/ip4/127.0.0.1/tcp/0'] } });
    stops.push(() => node.stop());
    await eventually('the first block', () => node.app.store.lastHeight >= 1n, 30_000);
    const { seed, signer } = generateEd25519();
    const op: TestOperator = { address: testAddress('op-cli'), key: signer, payer: testAddress('payer-cli'), payerKey: fixedKey('payer-cli') };
    const batch = buildBatch(testReceipts(op, 5, 0, node.app.chainId));
    const dir = await testDir('cairn-publish-');
    await writeFile(join(dir, 'batch.json'), JSON.stringify(batchJson(batch)));
    await writeFile(join(dir, 'key'), Buffer.from(seed).toString('hex'));
    const run = promisify(execFile);
    const out = await run(process.execPath, [CLI, 'receipts', 'publish', join(dir, 'batch.json'), '--key', join(dir, 'key'), '--peer', node.p2p!.host.addresses()[0]!, '--node', node.rpcUrl!, '--output', 'json']);
    expect(JSON.parse(out.stdout)).toMatchObject({ root: Buffer.from(batch.header.root).toString('hex'), receipts: 5, peers: 1 });
    // This operator is not registered on the chain: the node cannot judge the batch yet and drops it.
    await eventually('the node to judge the batch', () => node.p2p!.host.counters.ignored === 1);
  }, 60_000);

  it('`cairn receipts publish-attestations` names what is wrong with its input before dialing anyone', async () => {
    const dir = await testDir('cairn-publish-att-');
    const file = join(dir, 'attestations.json');
    await writeFile(file, JSON.stringify([{ gpuId: 'g0', teeType: 'TEE_TYPE_SEV_SNP' }]));
    const run = promisify(execFile);
    const fail = async (args: string[]) => (await run(process.execPath, [CLI, 'receipts', 'publish-attestations', ...args]).then(() => ({ stderr: '' }), (e: { stderr: string }) => e)).stderr;
    expect(await fail([file, '--key', join(dir, 'key'), '--peer', '/ip4/127.0.0.1/tcp/1'])).toContain('--operator <address> is required');
    expect(await fail([file, '--operator', 'cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', '--key', join(dir, 'key')])).toContain('is not an operator address');
    await writeFile(file, '[]');
    expect(await fail([file, '--operator', testAddress('op-att')])).toContain('holds no attestation');
  }, 30_000);
});
