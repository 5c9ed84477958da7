// The chain's economics as gauges, read from committed state when a scrape finds a new height
// (node.ts): supply, emission, escrow, batches, open challenges, operators and their bonds, and the store's
// size on disk. Each read is bounded by what is live (pending batches, open requests, escrows,
// operators), never by history: finalized batches are counted from the batch id sequence.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Gauge, type Registry } from 'prom-client';
import type { KVRead } from '../../core/store/types.ts';
import * as bank from '../../modules/bank/keys.ts';
import * as emission from '../../modules/emission/keys.ts';
import * as receipts from '../../modules/receipts/keys.ts';
import * as registry from '../../modules/registry/keys.ts';
import { BatchStatus } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { OperatorStatus } from '../../proto/gen/cairn/registry/v1/types.ts';

export interface Economics {
  readonly supply: ReadonlyMap<string, bigint>;
  readonly maxSupply: bigint | undefined;
  readonly mintedTotal: bigint;
  /** The last epoch emission closed, and what it minted (undefined before the first epoch end). */
  readonly lastEpoch: { readonly epoch: bigint; readonly scheduled: bigint; readonly operators: bigint; readonly validators: bigint } | undefined;
  /** By denom: what payers can still lock, and what pending batches lock. */
  readonly escrow: ReadonlyMap<string, { available: bigint; locked: bigint }>;
  /** Emission's denom, shown in the escrow gauges at 0 before any payer deposits. */
  readonly denom: string;
  readonly batches: { readonly pending: number; readonly finalized: number; readonly rejected: number };
  readonly openDataRequests: number;
  readonly openCapacityChallenges: number;
  /** By operator status: how many, and the sum of their bonds. */
  readonly operators: ReadonlyMap<string, { count: number; bond: bigint }>;
}

/** Denoms beyond this many (payers pick an escrow's denom) are summed under "other": labels stay bounded. */
const MAX_DENOMS = 8;

const big = (s: string | undefined): bigint => {
  try {
    return BigInt(s ?? '0');
  } catch {
    return 0n;
  }
};

function statusPrefix(status: BatchStatus): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, status);
  return out;
}

async function count(it: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of it) n++;
  return n;
}

export async function readEconomics(store: KVRead): Promise<Economics> {
  const supply = new Map<string, bigint>();
  for await (const [denom, amount] of bank.supply.entries(store)) supply.set(denom, amount);
  const params = await emission.params.get(store);
  const [last] = await collect(emission.epochs.entries(store, { reverse: true, limit: 1 }));
  const escrow = new Map<string, { available: bigint; locked: bigint }>();
  for await (const [, e] of receipts.escrows.entries(store)) {
    const denom = escrow.has(e.denom) || escrow.size < MAX_DENOMS ? e.denom : 'other';
    const row = escrow.get(denom) ?? { available: 0n, locked: 0n };
    row.available += big(e.available);
    row.locked += big(e.locked);
    escrow.set(denom, row);
  }
  const pending = await count(receipts.batchesByStatus.entries(store, { subPrefix: statusPrefix(BatchStatus.BATCH_STATUS_PENDING) }));
  const rejected = await count(receipts.batchesByStatus.entries(store, { subPrefix: statusPrefix(BatchStatus.BATCH_STATUS_REJECTED) }));
  const total = Number(((await receipts.nextBatchId.get(store)) ?? 1n) - 1n);
  const operators = new Map<string, { count: number; bond: bigint }>();
  for await (const [, o] of registry.operators.entries(store)) {
    const status = operatorStatus(o.status);
    const row = operators.get(status) ?? { count: 0, bond: 0n };
    row.count++;
    row.bond += big(o.bond?.amount);
    operators.set(status, row);
  }
  return {
    supply,
    maxSupply: params === undefined ? undefined : big(params.maxSupply),
    mintedTotal: (await emission.mintedTotal.get(store)) ?? 0n,
    lastEpoch: last === undefined ? undefined : { epoch: last[1].epoch, scheduled: big(last[1].scheduled), operators: big(last[1].operatorsMinted), validators: big(last[1].validatorsMinted) },
    escrow,
    denom: params?.denom ?? 'ucairn',
    batches: { pending, rejected, finalized: Math.max(0, total - pending - rejected) },
    openDataRequests: await count(receipts.requests.entries(store)),
    openCapacityChallenges: await count(emission.challengeDeadlines.entries(store)),
    operators,
  };
}

const OPERATOR_STATUSES = ['active', 'jailed', 'unbonding', 'tombstoned'];

function operatorStatus(s: OperatorStatus): string {
  switch (s) {
    case OperatorStatus.OPERATOR_STATUS_ACTIVE:
      return 'active';
    case OperatorStatus.OPERATOR_STATUS_JAILED:
      return 'jailed';
    case OperatorStatus.OPERATOR_STATUS_UNBONDING:
      return 'unbonding';
    case OperatorStatus.OPERATOR_STATUS_TOMBSTONED:
      return 'tombstoned';
    default:
      return 'unspecified';
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Bytes of the files directly in `dir` (LevelDB keeps its tables flat). */
export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) {
    try {
      total += (await stat(join(dir, name))).size;
    } catch {
      // A table compacted away between readdir and stat.
    }
  }
  return total;
}

/** Amounts are exposed as float64 (Prometheus' only value type): exact below 2^53 base units. */
const num = (v: bigint): number => Number(v);

/** The economics and store gauges, registered in `reg`; `set` replaces every value at once. */
export class EconomicsGauges {
  readonly #supply: Gauge<'denom'>;
  readonly #maxSupply: Gauge;
  readonly #minted: Gauge;
  readonly #epoch: Gauge;
  readonly #epochScheduled: Gauge;
  readonly #epochMinted: Gauge<'to'>;
  readonly #escrow: Gauge<'denom' | 'state'>;
  readonly #batches: Gauge<'status'>;
  readonly #challenges: Gauge<'kind'>;
  readonly #operators: Gauge<'status'>;
  readonly #bonds: Gauge<'status'>;
  readonly #storeSize: Gauge;
  readonly #refreshed: Gauge;

  constructor(reg: Registry) {
    const registers = [reg];
    this.#supply = new Gauge({ name: 'cairn_supply', help: 'Total supply by denom, in base units (bank).', labelNames: ['denom'], registers });
    this.#maxSupply = new Gauge({ name: 'cairn_emission_max_supply', help: 'The emission cap (emission params max_supply), in base units.', registers });
    this.#minted = new Gauge({ name: 'cairn_emission_minted', help: 'Everything emission has minted since genesis, in base units.', registers });
    this.#epoch = new Gauge({ name: 'cairn_emission_last_epoch', help: 'The last epoch whose emission was minted.', registers });
    this.#epochScheduled = new Gauge({ name: 'cairn_emission_last_epoch_scheduled', help: "The schedule's budget for the last minted epoch, in base units.", registers });
    this.#epochMinted = new Gauge({ name: 'cairn_emission_last_epoch_minted', help: 'What the last epoch minted, to operators and to validators, in base units.', labelNames: ['to'], registers });
    this.#escrow = new Gauge({ name: 'cairn_escrow', help: 'Payer escrow by denom and state (available: lockable; locked: held by pending batches), in base units.', labelNames: ['denom', 'state'], registers });
    this.#batches = new Gauge({ name: 'cairn_batches', help: 'Receipt batches by status (pending: in their dispute window; rejected: a fault was proved).', labelNames: ['status'], registers });
    this.#challenges = new Gauge({ name: 'cairn_open_challenges', help: 'Open challenges by kind (data_request: a leaf asked for and not yet revealed; capacity: a GPU capacity challenge).', labelNames: ['kind'], registers });
    this.#operators = new Gauge({ name: 'cairn_operators', help: 'Registered GPU operators by status.', labelNames: ['status'], registers });
    this.#bonds = new Gauge({ name: 'cairn_operator_bonds', help: 'Sum of operator bonds by operator status, in base units of the bond denom.', labelNames: ['status'], registers });
    this.#storeSize = new Gauge({ name: 'cairn_store_size_bytes', help: 'Size of the application database on disk (data/application.db).', registers });
    this.#refreshed = new Gauge({ name: 'cairn_economics_height', help: 'The committed height the economics gauges were read at.', registers });
  }

  set(e: Economics, height: bigint, storeBytes: number | undefined): void {
    this.#supply.reset();
    for (const [denom, v] of e.supply) this.#supply.set({ denom }, num(v));
    if (e.maxSupply !== undefined) this.#maxSupply.set(num(e.maxSupply));
    this.#minted.set(num(e.mintedTotal));
    // Before the first epoch end: epoch 0, nothing minted.
    const last = e.lastEpoch ?? { epoch: 0n, scheduled: 0n, operators: 0n, validators: 0n };
    this.#epoch.set(num(last.epoch));
    this.#epochScheduled.set(num(last.scheduled));
    this.#epochMinted.set({ to: 'operators' }, num(last.operators));
    this.#epochMinted.set({ to: 'validators' }, num(last.validators));
    this.#escrow.reset();
    for (const [denom, { available, locked }] of [...(e.escrow.has(e.denom) ? [] : [[e.denom, { available: 0n, locked: 0n }] as const]), ...e.escrow]) {
      this.#escrow.set({ denom, state: 'available' }, num(available));
      this.#escrow.set({ denom, state: 'locked' }, num(locked));
    }
    for (const [status, n] of Object.entries(e.batches)) this.#batches.set({ status }, n);
    this.#challenges.set({ kind: 'data_request' }, e.openDataRequests);
    this.#challenges.set({ kind: 'capacity' }, e.openCapacityChallenges);
    this.#operators.reset();
    this.#bonds.reset();
    for (const status of OPERATOR_STATUSES) {
      this.#operators.set({ status }, 0);
      this.#bonds.set({ status }, 0);
    }
    for (const [status, { count: n, bond }] of e.operators) {
      this.#operators.set({ status }, n);
      this.#bonds.set({ status }, num(bond));
    }
    if (storeBytes !== undefined) this.#storeSize.set(storeBytes);
    this.#refreshed.set(num(height));
  }
}
