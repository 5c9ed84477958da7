// The sdk's client faces with unmodified CosmJS against a real single-validator CometBFT chain: one
// Cairn message per module built with the faces' builders and signed through SigningStargateClient
// with cairnRegistry(), then read back through QueryClient.withExtensions and the faces' extensions.
import { QueryClient, SigningStargateClient } from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForHeight } from '../node/cometbft/rpc.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { BatchStatus } from '../proto/gen/cairn/receipts/v1/types.ts';
import { ModelKind, OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';
import { emissionMsgs } from '../sdk/emission/messages.ts';
import { setupEmissionExtension } from '../sdk/emission/queries.ts';
import { buildBatch } from '../sdk/receipts/batch.ts';
import { signBatchAsPayer } from '../sdk/receipts/batch-signature.ts';
import { receiptsMsgs } from '../sdk/receipts/messages.ts';
import { setupReceiptsExtension } from '../sdk/receipts/queries.ts';
import { signReceipt } from '../sdk/receipts/receipt.ts';
import { registryMsgs } from '../sdk/registry/messages.ts';
import { setupRegistryExtension } from '../sdk/registry/queries.ts';
import { royaltyMsgs } from '../sdk/royalty/messages.ts';
import { setupRoyaltyExtension } from '../sdk/royalty/queries.ts';
import { createTestHome } from './support/node-home.ts';
import { contentHash } from './support/registry.ts';
import { BASE_MODEL, OPERATOR_BOND, type Role, receiptsAppState, roleWallets } from './support/receipts-chain.ts';
import { fixedKey, receiptId, unsignedReceipt } from './support/receipts-fixtures.ts';
import type { TestWallet } from './support/wallets.ts';

const CHAIN_ID = 'cairn-faces-it-1';
const EPOCH = 20n;
const FEE = { amount: [{ denom: 'ucairn', amount: '25000' }], gas: '1000000' };
const payerKey = fixedKey('faces-payer-key');
const operatorKey = fixedKey('faces-operator-key');

let node: RunningNode;
let comet: CometClient;
let w: Record<Role, TestWallet>;
let rpcUrl: string;
const clients: SigningStargateClient[] = [];

function queries(c: CometClient) {
  return QueryClient.withExtensions(c, setupRegistryExtension, setupReceiptsExtension, setupRoyaltyExtension, setupEmissionExtension);
}

/** Signs `msgs` as `role` through CosmJS with the faces' registry; fails the test on a non-zero code. */
async function send(role: Role, msgs: EncodeObject[]): Promise<void> {
  const client = await SigningStargateClient.connectWithSigner(rpcUrl, w[role].wallet, { registry: cairnRegistry(), broadcastPollIntervalMs: 150 });
  clients.push(client);
  const r = await client.signAndBroadcast(w[role].address, msgs, FEE);
  expect(r.code, r.rawLog).toBe(0);
}

/** The latest block's epoch and time, once the next block is well inside that epoch. */
async function quietPoint(): Promise<{ epoch: bigint; time: bigint }> {
  for (;;) {
    const b = await comet.block();
    const height = BigInt(b.block.header.height);
    const epoch = (height - 1n) / EPOCH;
    if (height - epoch * EPOCH < EPOCH - 8n && height > epoch * EPOCH + 1n) return { epoch, time: BigInt(Math.floor(b.block.header.time.getTime() / 1000)) };
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  w = await roleWallets();
  // The author is the royalty and emission params authority here, so it can sign their MsgUpdateParams.
  const appState = receiptsAppState(w, { epoch_blocks: EPOCH.toString() }, { authority: w.author.address });
  (appState['emission'] as { params: Record<string, unknown> }).params['authority'] = w.author.address;
  const home = await createTestHome([], CHAIN_ID, appState);
  rpcUrl = home.rpcUrl;
  node = await startNode({ home: home.home, logger: silentLogger, withCometbft: true });
  await waitForHeight(rpcUrl, 2, 30_000);
  comet = await connectComet(rpcUrl);
}, 90_000);

afterAll(async () => {
  for (const c of clients) c.disconnect();
  comet?.disconnect();
  await node?.stop();
});

describe('the sdk faces with CosmJS on a real chain', () => {
  it('signs one message of each Cairn module with the builders and reads the results with the query extensions', async () => {
    const q = queries(comet);
    const bond = { denom: 'ucairn', amount: OPERATOR_BOND.toString() };
    const recipients = [{ address: w.author.address, weightBps: 10_000 }];

    // registry
    await send('operator', [
      registryMsgs.MsgRegisterOperator({ operator: w.operator.address, moniker: 'faces-farm', endpoints: ['https://faces.example.com/v1'], region: 'eu-west', receiptKey: operatorKey.publicKey, bond }),
    ]);
    await send('author', [
      registryMsgs.MsgRegisterModel({ author: w.author.address, id: BASE_MODEL, kind: ModelKind.MODEL_KIND_BASE, contentHash: contentHash(BASE_MODEL), license: 'Apache-2.0', royaltyBps: 500, recipients }),
    ]);
    const { operator } = await q.registry.operator({ address: w.operator.address });
    expect(operator).toMatchObject({ moniker: 'faces-farm', status: OperatorStatus.OPERATOR_STATUS_ACTIVE, bond });
    expect((await q.registry.model({ id: BASE_MODEL })).model).toMatchObject({ id: BASE_MODEL, author: w.author.address, royaltyBps: 500 });

    // receipts: escrow, then a batch of two receipts
    await send('payer', [registryMsgs.MsgAuthorizePayerKey({ payer: w.payer.address, key: payerKey.publicKey, label: 'faces' }), receiptsMsgs.MsgDepositEscrow({ payer: w.payer.address, amount: { denom: 'ucairn', amount: '1000000' } })]);
    const { epoch, time } = await quietPoint();
    const party = { chainId: CHAIN_ID, operator: w.operator.address, payer: w.payer.address, payerKey, operatorKey };
    const batch = buildBatch(
      [0, 1].map((i) => {
        const r = unsignedReceipt(party, i, { id: receiptId(i, 'faces'), modelId: BASE_MODEL, adapterId: '', epoch, startedAt: time, finishedAt: time });
        return signReceipt(signReceipt(r, 'payer', payerKey), 'operator', operatorKey);
      }),
    );
    await send('operator', [receiptsMsgs.MsgSubmitBatch(signBatchAsPayer(batch, 'escrow', payerKey))]);
    const { batches } = await q.receipts.batches({ operator: w.operator.address });
    expect(batches).toHaveLength(1);
    const { batch: onChain } = await q.receipts.batch({ id: batches[0]!.id });
    expect(onChain).toMatchObject({ operator: w.operator.address, payer: w.payer.address, modelId: BASE_MODEL, count: 2n, amount: { denom: 'ucairn', amount: batch.header.amount.toString() }, status: BatchStatus.BATCH_STATUS_PENDING });
    expect(Buffer.from(onChain!.root)).toEqual(Buffer.from(batch.header.root));
    expect((await q.receipts.escrow({ payer: w.payer.address })).escrow?.locked).toBe(batch.header.amount.toString());

    // royalty and emission: their authority's MsgUpdateParams
    const royalty = (await q.royalty.params()).params!;
    await send('author', [royaltyMsgs.MsgUpdateParams({ authority: w.author.address, params: { ...royalty, protocolFeeBps: royalty.protocolFeeBps + 1 } })]);
    expect((await q.royalty.params()).params?.protocolFeeBps).toBe(royalty.protocolFeeBps + 1);
    const emission = (await q.emission.params()).params!;
    await send('author', [emissionMsgs.MsgUpdateParams({ authority: w.author.address, params: { ...emission, capacityChallengesPerEpoch: emission.capacityChallengesPerEpoch + 1 } })]);
    expect((await q.emission.params()).params?.capacityChallengesPerEpoch).toBe(emission.capacityChallengesPerEpoch + 1);
  }, 120_000);

  it('keeps the chain’s code and log when a query is refused', async () => {
    await expect(queries(comet).registry.operator({ address: w.griefer.address })).rejects.toThrow(/not found/);
  });
});
