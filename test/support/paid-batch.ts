// A paid batch on a playground localnet (`localnet up --operators N`), the way operator software
// and payer software make one (submitPaidBatch leaves it pending, servePaidBatch finalizes it): the operator serves receipts early in an epoch, the payer signs the
// batch it rebuilt from its own receipts, the operator gossips it to a watcher, submits it and
// reveals whatever the chain samples or asks for until it finalizes.
import { readFile } from 'node:fs/promises';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { QueryClient, SigningStargateClient } from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import { type Localnet, libp2pAddress } from '../../localnet/index.ts';
import type { PlaygroundAccount } from '../../localnet/playground.ts';
import { silentLogger } from '../../node/log.ts';
import { publishBatch } from '../../node/p2p/publish.ts';
import { MsgSubmitBatchResponse } from '../../proto/gen/cairn/receipts/v1/tx.ts';
import { BatchStatus } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { cairnRegistry } from '../../sdk/cosmjs-registry.ts';
import { ed25519FromSeed } from '../../sdk/ed25519.ts';
import { type Batch, buildBatch, inclusionProof, signBatchAsPayer, signReceipt, signedLedger } from '../../sdk/index.ts';
import { Keyring } from '../../sdk/keyring/keyring.ts';
import { receiptsMsgs } from '../../sdk/receipts/messages.ts';
import { queryReceipts } from '../../sdk/receipts/queries.ts';
import { eventually } from './localnet.ts';
import { receiptId, unsignedReceipt } from './receipts-fixtures.ts';

const FEE = { amount: [{ denom: 'ucairn', amount: '40000' }], gas: '1500000' };

export interface PaidBatch {
  readonly id: bigint;
  readonly batch: Batch;
  /** The hash of the MsgSubmitBatch transaction (upper-case hex). */
  readonly submitTx: string;
  readonly settledHeight: bigint;
}

/** Signs and sends a playground account's transactions through node0 (one client per key). */
export class PlaygroundSender {
  readonly #net: Localnet;
  readonly #clients = new Map<string, SigningStargateClient>();

  constructor(net: Localnet) {
    this.#net = net;
  }

  async send(who: PlaygroundAccount, msgs: EncodeObject[]): Promise<{ code: number; log: string; hash: string; responses: Uint8Array[] }> {
    let c = this.#clients.get(who.key);
    if (c === undefined) {
      const signer = await new Keyring({ dir: this.#net.manifest.playground!.keyringDir, backend: 'test' }).signer(who.key);
      c = await SigningStargateClient.connectWithSigner(this.#net.rpcUrl('node0'), signer, { registry: cairnRegistry(), broadcastPollIntervalMs: 150 });
      this.#clients.set(who.key, c);
    }
    const r = await c.signAndBroadcast(who.address, msgs, FEE);
    return { code: r.code, log: r.rawLog ?? '', hash: r.transactionHash, responses: r.msgResponses.map((m) => m.value) };
  }

  async ok(who: PlaygroundAccount, msgs: EncodeObject[]): Promise<{ hash: string; responses: Uint8Array[] }> {
    const r = await this.send(who, msgs);
    if (r.code !== 0) throw new Error(`${who.key}'s transaction failed with code ${r.code}: ${r.log}`);
    return r;
  }

  disconnect(): void {
    for (const c of this.#clients.values()) c.disconnect();
  }
}

const seedKey = async (file: string) => ed25519FromSeed(new Uint8Array(Buffer.from((await readFile(file, 'utf8')).trim(), 'hex')));

export interface SubmittedBatch {
  readonly id: bigint;
  readonly batch: Batch;
  /** The hash of the MsgSubmitBatch transaction (upper-case hex). */
  readonly submitTx: string;
  /** Reveals whatever the chain samples or asks for until the batch is finalized; its settled height. */
  finalize(timeoutMs?: number): Promise<bigint>;
}

/**
 * The playground operator `operatorIndex` serves `count` receipts to the playground payer early in
 * an epoch of `epochBlocks` blocks, gossips the batch to node0's watcher and submits it; the batch
 * is pending until `finalize()`.
 */
export async function submitPaidBatch(net: Localnet, sender: PlaygroundSender, opts: { epochBlocks: bigint; label: string; operatorIndex?: number; count?: number }): Promise<SubmittedBatch> {
  const p = net.manifest.playground!;
  const op = p.operators[opts.operatorIndex ?? 0]!;
  const comet = await connectComet(net.rpcUrl('node0'));
  try {
    const [payerKey, operatorKey] = await Promise.all([seedKey(p.payer.payerKeyFile), seedKey(op.receiptKeyFile)]);
    // Early in an epoch, so that the batch is submitted in the epoch its receipts name.
    const at = await eventually('a block early in an epoch', 120_000, async () => {
      const b = await comet.block();
      const h = BigInt(b.block.header.height);
      const epoch = (h - 1n) / opts.epochBlocks;
      return h - epoch * opts.epochBlocks <= opts.epochBlocks / 3n ? { epoch, time: BigInt(Math.floor(b.block.header.time.getTime() / 1000)) } : undefined;
    });
    const party = { chainId: net.chainId, operator: op.address, payer: p.payer.address, payerKey, operatorKey };
    const signed = Array.from({ length: opts.count ?? 6 }, (_, i) =>
      signReceipt(unsignedReceipt(party, i, { id: receiptId(i, opts.label), modelId: p.model, epoch: at.epoch, startedAt: at.time, finishedAt: at.time, unitPrice: '6000' }), 'payer', payerKey),
    );
    const batch = buildBatch(signed.map((r) => signReceipt(r, 'operator', operatorKey)));
    const submit = signBatchAsPayer(batch, 'escrow', payerKey, signedLedger(signed));
    const height = BigInt((await comet.status()).syncInfo.latestBlockHeight);
    await publishBatch({ chainId: net.chainId, height, batch, signer: operatorKey, peers: [(await libp2pAddress(net.node('node0')))!], logger: silentLogger });
    const submitted = await sender.ok(op, [receiptsMsgs.MsgSubmitBatch(submit)]);
    const id = MsgSubmitBatchResponse.decode(submitted.responses[0]!).batchId;
    const finalize = async (timeoutMs = 90_000): Promise<bigint> => {
      const c = await connectComet(net.rpcUrl('node0'));
      const base = new QueryClient(c);
      const receipts = queryReceipts(async (path, request) => (await base.queryAbci(path, request)).value);
      const answered = new Set<bigint>();
      try {
        return await eventually(
          `batch ${id} finalized`,
          timeoutMs,
          async () => {
            const r = await receipts.batch({ id });
            const b = r.batch!;
            if (b.status === BatchStatus.BATCH_STATUS_FINALIZED) return b.settledHeight;
            if (b.status !== BatchStatus.BATCH_STATUS_PENDING) throw new Error(`batch ${id} is ${b.status}: ${b.fault?.detail ?? ''}`);
            const asked = [...b.sample.filter((s) => !s.revealed).map((s) => s.index), ...r.requests.map((x) => x.index)].filter((i) => !answered.has(i));
            if (asked.length > 0) {
              const sent = await sender.send(op, asked.map((i) => receiptsMsgs.MsgRevealReceipt({ sender: op.address, batchId: id, receipt: batch.receipts[Number(i)]!, proof: inclusionProof(batch, Number(i)) })));
              if (sent.code === 0) for (const i of asked) answered.add(i);
            }
            return undefined;
          },
          300,
        );
      } finally {
        c.disconnect();
      }
    };
    return { id, batch, submitTx: submitted.hash, finalize };
  } finally {
    comet.disconnect();
  }
}

/** submitPaidBatch, then finalize. */
export async function servePaidBatch(net: Localnet, sender: PlaygroundSender, opts: { epochBlocks: bigint; label: string; operatorIndex?: number; count?: number; timeoutMs?: number }): Promise<PaidBatch> {
  const s = await submitPaidBatch(net, sender, opts);
  const settledHeight = await s.finalize(opts.timeoutMs);
  return { id: s.id, batch: s.batch, submitTx: s.submitTx, settledHeight };
}
