// The big genesis of bench/state.ts: a bench home's genesis plus filler accounts, registered
// operators and receipt batches, written as text so that a million accounts take seconds, not
// minutes of JSON work.
import { open, readFile } from 'node:fs/promises';
import { toBech32 } from '@cosmjs/encoding';
import { moduleAddress } from '../core/framework/address.ts';
import { ESCROW_ACCOUNT } from '../modules/receipts/keys.ts';
import { BONDS_ACCOUNT } from '../modules/registry/keys.ts';
import { computeSplit } from '../modules/royalty/split.ts';
import { genesisPath } from '../node/cometbft/genesis.ts';

const FILL_AMOUNT = 1_000_000n;
const OPERATOR_BOND = 100_000_000n;
/** What every payer keeps in escrow beyond what its pending batches lock. */
const ESCROW_AVAILABLE = 50_000_000n;
/** Most payers the batches are spread over (the filler accounts after the operators). */
const MAX_PAYERS = 10_000;
/** The chain the batches come from has run this many epochs at a steady batch rate. */
const HISTORY_EPOCHS = 10n;
const SAMPLE = 4; // receipts' default sample_count; every batch's amount keeps its sample at it

/** Filler account i: a 20-byte address no key signs for, distinct from the random signers'. */
export function fillerAddress(i: number): string {
  const raw = new Uint8Array(20);
  raw.set([0x57, 0x41, 0x54, 0x45]); // a fixed tag, then the index
  new DataView(raw.buffer).setUint32(16, i);
  return toBech32('cairn', raw);
}

/** How many of `batches` are still in their dispute window: those submitted in the last window of a chain that ran HISTORY_EPOCHS epochs. */
export function pendingBatches(batches: number, epochBlocks: bigint, disputeWindowBlocks: bigint): number {
  return Number((BigInt(batches) * disputeWindowBlocks + HISTORY_EPOCHS * epochBlocks - 1n) / (HISTORY_EPOCHS * epochBlocks));
}

/** Distinct 32 (or `size`) bytes for (tag, n, k), base64: roots, keys, signatures, receipt ids. */
function bytes(tag: string, n: number, k = 0, size = 32): string {
  const b = Buffer.alloc(size, 0x11);
  b.write(tag, 0, 'latin1');
  b.writeUInt32BE(n, 4);
  b.writeUInt32BE(k, 8);
  return b.toString('base64');
}

/**
 * The bench home's genesis plus `fill` accounts (the first `operators` of them registered
 * operators, their bonds held by the registry's bonds account) and `batches` receipt batches of
 * those operators, paid from the escrows of the next filler accounts. The small document is
 * serialized with a placeholder in each list and the big lists are streamed in its place as text,
 * so a million accounts cost string concatenation, not a JSON tree of a million objects.
 *
 * The batches are what a chain that ran HISTORY_EPOCHS epochs at a steady rate holds: most
 * finalized (settled, their sample revealed, their receipts kept for double-claim proofs), the
 * newest (those of the last dispute window) pending, their escrow locked, finalizing over the new
 * chain's first dispute window as a running chain finalizes some every block. This chain is in its
 * first epoch, so every batch is of epoch 0, and the finalized ones are its open epoch's leaves.
 */
export async function writeBigGenesis(home: string, fill: number, operators: number, batches = 0): Promise<void> {
  const path = genesisPath(home);
  const doc = JSON.parse(await readFile(path, 'utf8')) as { genesis_time: string; app_state: Record<string, Record<string, unknown>> };
  const state = doc.app_state;
  const auth = state['auth'] as { accounts: unknown[] };
  const bank = state['bank'] as { balances: unknown[]; supply: { denom: string; amount: string }[] };
  const registry = state['registry'] as { operators?: unknown[] };
  const receipts = state['receipts'] as Record<string, unknown> & { params: Record<string, unknown> };
  const royaltyParams = ((state['royalty'] as { params?: Record<string, unknown> } | undefined)?.params ?? {}) as Record<string, number | undefined>;
  const payers = Math.min(MAX_PAYERS, fill - operators);
  if (batches > 0 && (operators === 0 || payers === 0)) throw new RangeError(`batches need operators and payers: ${fill} filler accounts, ${operators} operators`);
  let nextNumber = auth.accounts.length + fill;
  const moduleAccount = (name: string, amount: bigint): void => {
    const address = toBech32('cairn', moduleAddress(name));
    auth.accounts.push({ '@type': '/cosmos.auth.v1beta1.BaseAccount', address, pub_key: null, account_number: String(nextNumber++), sequence: '0' });
    bank.balances.push({ address, coins: [{ denom: 'ucairn', amount: amount.toString() }] });
  };
  const firstNumber = auth.accounts.length;
  const bonded = BigInt(operators) * OPERATOR_BOND;
  if (operators > 0) moduleAccount(BONDS_ACCOUNT, bonded);

  const epochBlocks = BigInt(String(receipts.params['epoch_blocks'] ?? '3600'));
  const dispute = BigInt(String(receipts.params['dispute_window_blocks'] ?? '600'));
  const pending = pendingBatches(batches, epochBlocks, dispute);
  const finalized = batches - pending;
  const genesisSeconds = BigInt(Math.floor(Date.parse(doc.genesis_time) / 1000));
  const fees = { authority: '', protocolFeeBps: royaltyParams['protocol_fee_bps'] ?? 500, burnBps: royaltyParams['burn_bps'] ?? 5000, maxTotalRoyaltyBps: royaltyParams['max_total_royalty_bps'] ?? 3000 };
  const terms = { modelId: '', modelRoyaltyBps: 0, modelRecipients: [], baseModelId: '', baseRoyaltyBps: 0, baseRecipients: [] };
  const operatorOf = (i: number): number => i % operators;
  const payerOf = (i: number): number => operators + ((i + Math.floor(i / operators)) % payers);
  // count receipts of (units_in + units_out) 500 units at 20 ucairn: at most 100 CAIRN, so the
  // sample stays at sample_count (max(4, ceil(amount / 25 CAIRN))).
  const countOf = (i: number): bigint => 1000n + BigInt((i * 37) % 9000);
  const amountOf = (i: number): bigint => countOf(i) * 10_000n;

  // Escrows: every payer keeps some available; its pending batches lock the rest. Usage: what
  // each operator's finalized batches paid in this (open) epoch.
  const locked = new Map<number, bigint>();
  const usage = new Map<number, { amount: bigint; count: bigint; batches: bigint }>();
  for (let i = 0; i < batches; i++) {
    if (i >= finalized) locked.set(payerOf(i), (locked.get(payerOf(i)) ?? 0n) + amountOf(i));
    else {
      const u = usage.get(operatorOf(i)) ?? { amount: 0n, count: 0n, batches: 0n };
      usage.set(operatorOf(i), { amount: u.amount + amountOf(i), count: u.count + countOf(i), batches: u.batches + 1n });
    }
  }
  let escrowed = 0n;
  const escrows: unknown[] = [];
  for (let p = operators; p < operators + (batches > 0 ? payers : 0); p++) {
    escrowed += ESCROW_AVAILABLE + (locked.get(p) ?? 0n);
    escrows.push({ payer: fillerAddress(p), denom: 'ucairn', available: ESCROW_AVAILABLE.toString(), locked: (locked.get(p) ?? 0n).toString() });
  }
  if (escrowed > 0n) moduleAccount(ESCROW_ACCOUNT, escrowed);
  const supply = BigInt(bank.supply.find((c) => c.denom === 'ucairn')?.amount ?? '0') + BigInt(fill) * FILL_AMOUNT + bonded + escrowed;
  bank.supply = [{ denom: 'ucairn', amount: supply.toString() }];
  if (batches > 0) {
    receipts['escrows'] = [...((receipts['escrows'] as unknown[] | undefined) ?? []), ...escrows];
    receipts['usage'] = [...usage].map(([o, u]) => ({ epoch: '0', operator: fillerAddress(o), escrow_amount: u.amount.toString(), offchain_amount: '0', count: u.count.toString(), batches: u.batches.toString() }));
    receipts['next_batch_id'] = String(batches + 1);
    receipts['batches'] = ['@BATCHES@'];
    receipts['revealed'] = ['@REVEALED@'];
    receipts['open_epoch_batches'] = ['@OPEN@'];
  }

  auth.accounts.push('@ACCOUNTS@');
  bank.balances.push('@BALANCES@');
  registry.operators = [...(registry.operators ?? []), '@OPERATORS@'];
  const text = JSON.stringify(doc);
  const addresses = Array.from({ length: fill }, (_, i) => fillerAddress(i));
  const sampleOf = (i: number): bigint[] => Array.from({ length: SAMPLE }, (_, s) => (countOf(i) * BigInt(s)) / BigInt(SAMPLE));
  const batchJson = (i: number): string => {
    const id = i + 1;
    const amount = amountOf(i);
    const isPending = i >= finalized;
    const a = computeSplit(amount, terms, fees);
    const split = isPending
      ? ''
      : `,"split":{"denom":"ucairn","total":"${amount}","fee_burned":"${a.feeBurned}","fee_treasury":"${a.feeTreasury}","royalties":[],"operator":"${addresses[operatorOf(i)]}","operator_amount":"${a.operatorAmount}"}`;
    // A pending batch's window ends over the new chain's first dispute window, oldest first.
    const disputeEnd = isPending ? 1n + (BigInt(i - finalized) * dispute) / BigInt(pending) : 0n;
    const sample = sampleOf(i).map((s) => `{"index":"${s}","revealed":true}`).join(',');
    return (
      `{"id":"${id}","operator":"${addresses[operatorOf(i)]}","payer":"${addresses[payerOf(i)]}","model_id":"model-${i % 50}","adapter_id":"","epoch":"0",` +
      `"root":"${bytes('ROOT', id)}","count":"${countOf(i)}","units":"${countOf(i) * 500n}","amount":{"denom":"ucairn","amount":"${amount}"},"mode":"SETTLEMENT_MODE_ESCROW",` +
      `"status":"${isPending ? 'BATCH_STATUS_PENDING' : 'BATCH_STATUS_FINALIZED'}","submitted_height":"0","time_start":"${genesisSeconds}","time_end":"${genesisSeconds + 1n}",` +
      `"reveal_deadline":"0","dispute_end":"${disputeEnd}","sample":[${sample}],"terms":{"model_id":"model-${i % 50}","model_royalty_bps":0}${split},` +
      `"settled_height":"0","payer_key":"${bytes('PKEY', payerOf(i))}","payer_signature":"${bytes('PSIG', id, 0, 64)}","sample_height":"0","sample_size":${SAMPLE},"sample_drawn":true}`
    );
  };
  const revealedJson = (n: number): string => {
    const i = Math.floor(n / SAMPLE);
    const s = n % SAMPLE;
    return `{"payer":"${addresses[payerOf(i)]}","receipt_id":"${bytes('RCPT', i + 1, s)}","revealed":{"batch_id":"${i + 1}","index":"${sampleOf(i)[s]}","leaf_hash":"${bytes('LEAF', i + 1, s)}"}}`;
  };
  const lists: Record<string, (i: number) => string> = {
    '"@ACCOUNTS@"': (i) => `{"@type":"/cosmos.auth.v1beta1.BaseAccount","address":"${addresses[i]}","pub_key":null,"account_number":"${firstNumber + i}","sequence":"0"}`,
    '"@BALANCES@"': (i) => `{"address":"${addresses[i]}","coins":[{"denom":"ucairn","amount":"${FILL_AMOUNT}"}]}`,
    '"@OPERATORS@"': (i) => operatorJson(addresses[i]!, i),
    '"@BATCHES@"': batchJson,
    '"@REVEALED@"': revealedJson,
    '"@OPEN@"': (i) => `"${i + 1}"`,
  };
  const counts: Record<string, number> = { '"@ACCOUNTS@"': fill, '"@BALANCES@"': fill, '"@OPERATORS@"': operators, '"@BATCHES@"': batches, '"@REVEALED@"': batches * SAMPLE, '"@OPEN@"': finalized };
  const file = await open(path, 'w');
  try {
    let rest = text;
    for (;;) {
      const at = Math.min(...Object.keys(lists).map((k) => (rest.indexOf(k) < 0 ? Infinity : rest.indexOf(k))));
      if (at === Infinity) break;
      const key = Object.keys(lists).find((k) => rest.startsWith(k, at))!;
      let head = rest.slice(0, at);
      const n = counts[key]!;
      // The placeholder was pushed last: drop its separating comma when its list adds nothing.
      if (n === 0 && head.endsWith(',')) head = head.slice(0, -1);
      await file.write(head);
      for (let i = 0; i < n; i += 10_000) {
        const chunk: string[] = [];
        for (let j = i; j < Math.min(n, i + 10_000); j++) chunk.push(lists[key]!(j));
        await file.write((i === 0 ? '' : ',') + chunk.join(','));
      }
      rest = rest.slice(at + key.length);
    }
    await file.write(rest);
  } finally {
    await file.close();
  }
}

function operatorJson(address: string, i: number): string {
  const key = Buffer.alloc(32, 0x5a);
  key.writeUInt32BE(i, 0);
  const operator = {
    address,
    moniker: `op-${i}`,
    endpoints: [`https://op-${i}.example.com`],
    region: 'eu-west',
    linked_hosts: [],
    receipt_key: key.toString('base64'),
    receipt_key_since: '0',
    bond: { denom: 'ucairn', amount: OPERATOR_BOND.toString() },
    status: 'OPERATOR_STATUS_ACTIVE',
    reputation: '0',
    registered_height: '0',
    jailed_until: '0',
  };
  return JSON.stringify({ operator, gpus: [], retired_receipt_keys: [], unbonding: [], serves: [], current_attestations: [] });
}
