// A dishonest operator gateway on a real chain, for tests: the shipped OperatorGateway
// (node/gateway/operator) of a playground operator, run in the test's process, made dishonest from
// outside by tampering with what it is given and with its store; the gateway has no such mode.
// Each cheat is chosen (`cheats`); without any it is the honest gateway:
// - overchargePerUnit: prices every receipt above its on-chain ServeModel price (its view of its
//   own offers lies);
// - cosignsItself: records every receipt it signs as co-signed by the payer at once, so that its
//   settlement batches receipts the payer refused;
// - hidesReveals: hides its batches' leaves: it never sends a MsgRevealReceipt, hoping nobody looks.
// And at any time: forge() a receipt for a request never made (batched like the others), or
// reclaim() a receipt a batch already took, so that the next batch claims it again.
// Everything else is the gateway's own doing: it serves, cuts, offers the batch for the payer's
// signature, gossips it to its peers and submits it once someone signs.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { Localnet } from '../../localnet/index.ts';
import { silentLogger } from '../../node/log.ts';
import { connectChain } from '../../node/gateway/operator/connect.ts';
import { OperatorGateway } from '../../node/gateway/operator/gateway.ts';
import { decodeStoredReceipt } from '../../node/gateway/operator/store.ts';
import { UpstreamClient } from '../../node/gateway/upstream.ts';
import { Receipt } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { toHex } from '../../sdk/bytes.ts';
import { ed25519FromSeed } from '../../sdk/ed25519.ts';
import { sha256 } from '../../sdk/hash.ts';
import { Keyring } from '../../sdk/keyring/keyring.ts';
import { RECEIPTS_TYPE_URLS } from '../../sdk/receipts/messages.ts';
import { signReceipt } from '../../sdk/receipts/receipt.ts';

export interface DishonestGateway {
  readonly gateway: OperatorGateway;
  /** Signs and stores a receipt of the playground payer for a request never made, at the on-chain price of `model`; it is batched like the others. */
  forge(model: string, payerKey: Uint8Array, units: bigint): Promise<Receipt>;
  /** Makes a receipt some batch already took (hex id) count as co-signed and unbatched again: the next batch cut claims it a second time. */
  reclaim(payer: string, id: string): Promise<void>;
  /** Reveals it refused to send. */
  readonly hidden: number;
  stop(): Promise<void>;
}

export interface Cheats {
  readonly overchargePerUnit?: bigint;
  readonly cosignsItself?: boolean;
  readonly hidesReveals?: boolean;
}

export async function startDishonestGateway(net: Localnet, opts: { operatorIndex: number; upstreamUrl: string; peers: string[]; dataDir: string; cheats: Cheats; batchSize: number }): Promise<DishonestGateway> {
  const { overchargePerUnit = 0n, cosignsItself = false, hidesReveals = false } = opts.cheats;
  const p = net.manifest.playground!;
  const op = p.operators[opts.operatorIndex]!;
  const receiptSigner = ed25519FromSeed(new Uint8Array(Buffer.from((await readFile(op.receiptKeyFile, 'utf8')).trim(), 'hex')));
  const signer = await new Keyring({ dir: p.keyringDir, backend: 'test' }).signer(op.key);
  const links = await connectChain({ rpcUrl: net.rpcUrl('node0'), operator: op.address, signer, gasPrice: '0.025ucairn', receiptSigner, peers: opts.peers, logger: silentLogger });
  const onChainOffers = links.chain.offers;
  const overcharged = async (): ReturnType<typeof onChainOffers> => new Map([...(await onChainOffers())].map(([name, o]) => [name, { ...o, pricePerUnit: o.pricePerUnit + overchargePerUnit }]));
  let hidden = 0;
  const submit = async (msgs: EncodeObject[]): ReturnType<typeof links.submit> => {
    const kept = hidesReveals ? msgs.filter((m) => m.typeUrl !== RECEIPTS_TYPE_URLS.MsgRevealReceipt) : msgs;
    hidden += msgs.length - kept.length;
    return kept.length === 0 ? { code: 0, log: '', events: [] } : links.submit(kept);
  };
  const gateway = new OperatorGateway({
    chainId: links.chainId,
    operator: op.address,
    receiptSigner,
    upstream: new UpstreamClient({ baseUrl: opts.upstreamUrl }),
    creditLimit: 10n ** 12n,
    host: '127.0.0.1',
    port: 0,
    dataDir: opts.dataDir,
    chain: { ...links.chain, offers: overcharged },
    submit,
    publish: links.publish,
    logger: silentLogger,
    batchSize: opts.batchSize,
    batchAgeMs: 600_000,
    settleIntervalMs: 500,
  });
  const store = gateway.store;
  const putSigned = store.putSigned.bind(store);
  /** Stored as if the payer had co-signed it (its payer signature is whatever `r` carries). */
  const putSelfCosigned = async (r: Receipt, now?: number): Promise<void> => {
    await putSigned(r, now);
    await store.putCosigned(r.payer, toHex(r.id), r);
  };
  if (cosignsItself) store.putSigned = putSelfCosigned;
  await gateway.start();
  return {
    gateway,
    get hidden() {
      return hidden;
    },
    forge: async (model, payerKey, units) => {
      const offer = (await onChainOffers()).get(model);
      if (offer === undefined) throw new Error(`${op.key} does not serve ${model} on chain`);
      const epoch = await links.chain.epoch();
      const now = BigInt(Math.floor(Date.now() / 1000));
      const unsigned = Receipt.fromPartial({
        chainId: links.chainId,
        id: new Uint8Array(randomBytes(32)),
        operator: op.address,
        payer: p.payer.address,
        modelId: offer.modelId,
        adapterId: offer.adapterId,
        epoch: epoch.epoch,
        unitsIn: units,
        unitsOut: 0n,
        unitPrice: offer.pricePerUnit.toString(),
        amount: (units * offer.pricePerUnit).toString(),
        attestationId: await links.chain.attestationId(now),
        startedAt: now,
        finishedAt: now,
        requestHash: sha256(randomBytes(8)),
        responseHash: sha256(randomBytes(8)),
        payerKey,
      });
      const r = signReceipt(unsigned, 'operator', receiptSigner);
      await putSelfCosigned(r);
      return r;
    },
    reclaim: async (payer, id) => {
      const rec = await store.getReceipt(payer, id);
      if (rec?.batch === undefined) throw new Error(`receipt ${id} of ${payer} is not in a batch`);
      // Written again as new (no batch mark) with the payer's co-signature it already holds.
      await putSelfCosigned(decodeStoredReceipt(rec));
    },
    stop: async () => {
      await gateway.stop();
      links.close();
    },
  };
}
