// The payer gateway's own LevelDB: every receipt it co-signed (written before the application gets
// its answer), the co-signatures not yet delivered to their operator, the batch each receipt was
// signed into (written, synced, before the batch signature leaves), and misbehaviour records.
//
// Layout (UTF-8 keys):
//   r/<id hex>                → the co-signed Receipt (protobuf)
//   q/<operator>/<id hex>     → "" : co-signature still to send
//   b/<id hex>                → batch root hex the receipt was signed into
//   o/<operator>              → the endpoint it was reached at (for polling its pending batches)
//   m/<ms, 16 digits>/<seq>   → JSON misbehaviour record
import { mkdir } from 'node:fs/promises';
import { ClassicLevel } from '../../../core/store/level-reads.ts';
import { Receipt } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { toHex } from '../../../sdk/bytes.ts';

export interface Misbehaviour {
  readonly at: number;
  readonly operator: string;
  /** 'receipt' (bad or missing receipt), 'error' (failed request), 'batch' (a batch it should not ask to sign). */
  readonly kind: 'receipt' | 'error' | 'batch';
  readonly detail: string;
}

const text = new TextEncoder();
const decode = new TextDecoder();

export class PayerStore {
  readonly #db: ClassicLevel<string, Uint8Array>;
  readonly #path: string;
  #seq = 0;
  /** Kept receipts, and those of them signed into a batch: counted once at open, then kept up to date (metrics read them at every scrape). */
  #receipts = 0;
  #signed = 0;

  constructor(path: string) {
    this.#path = path;
    this.#db = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
  }

  async open(): Promise<void> {
    await mkdir(this.#path, { recursive: true });
    await this.#db.open();
    [this.#receipts, this.#signed] = await Promise.all([this.#count('r/'), this.#count('b/')]);
  }

  async close(): Promise<void> {
    await this.#db.close();
  }

  /** Keeps a co-signed receipt and queues its co-signature for `endpoint`'s operator, in one write. */
  async putCosigned(r: Receipt, endpoint: string): Promise<void> {
    const id = toHex(r.id);
    const known = (await this.#db.get(`r/${id}`)) !== undefined;
    await this.#db.batch([
      { type: 'put', key: `r/${id}`, value: Receipt.encode(r).finish() },
      { type: 'put', key: `q/${r.operator}/${id}`, value: new Uint8Array() },
      { type: 'put', key: `o/${r.operator}`, value: text.encode(endpoint) },
    ]);
    if (!known) this.#receipts++;
  }

  async receipt(idHex: string): Promise<Receipt | undefined> {
    const v = await this.#db.get(`r/${idHex}`);
    return v === undefined ? undefined : Receipt.decode(v);
  }

  /** Every co-signed receipt, by id order. */
  async receipts(): Promise<Receipt[]> {
    const out: Receipt[] = [];
    for await (const v of this.#db.values({ gte: 'r/', lt: 'r0' })) out.push(Receipt.decode(v));
    return out;
  }

  receiptCount(): number {
    return this.#receipts;
  }

  /** How many receipts are kept, and how many of them were signed into a batch. */
  counts(): { receipts: number; signed: number } {
    return { receipts: this.#receipts, signed: this.#signed };
  }

  async #count(prefix: string): Promise<number> {
    let n = 0;
    for await (const _ of this.#db.keys({ gte: prefix, lt: `${prefix.slice(0, -1)}0` })) n++;
    return n;
  }

  /** Co-signatures still to deliver, by operator (at most `limit` each). */
  async undelivered(limit = 500): Promise<Map<string, Receipt[]>> {
    const out = new Map<string, Receipt[]>();
    for await (const key of this.#db.keys({ gte: 'q/', lt: 'q0' })) {
      const [, operator, id] = key.split('/') as [string, string, string];
      const list = out.get(operator) ?? [];
      if (list.length >= limit) continue;
      const r = await this.receipt(id);
      if (r !== undefined) list.push(r);
      out.set(operator, list);
    }
    return out;
  }

  async delivered(operator: string, ids: readonly string[]): Promise<void> {
    await this.#db.batch(ids.map((id) => ({ type: 'del' as const, key: `q/${operator}/${id}` })));
  }

  /** The batch root each of `ids` was signed into, where one was. */
  async signedInto(ids: readonly string[]): Promise<Map<string, string>> {
    const values = await this.#db.getMany(ids.map((id) => `b/${id}`));
    const out = new Map<string, string>();
    values.forEach((v, i) => {
      if (v !== undefined) out.set(ids[i]!, decode.decode(v));
    });
    return out;
  }

  /** Marks `ids` as signed into `root`, synced to disk: called before the signature is sent. */
  async markSigned(ids: readonly string[], root: string): Promise<void> {
    const value = text.encode(root);
    const fresh = (await this.#db.getMany(ids.map((id) => `b/${id}`))).filter((v) => v === undefined).length;
    await this.#db.batch(
      ids.map((id) => ({ type: 'put' as const, key: `b/${id}`, value })),
      { sync: true },
    );
    this.#signed += fresh;
  }

  /** Operator → the endpoint this gateway used for it. */
  async operators(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for await (const [key, value] of this.#db.iterator({ gte: 'o/', lt: 'o0' })) out.set(key.slice(2), decode.decode(value));
    return out;
  }

  async recordMisbehaviour(m: Misbehaviour): Promise<void> {
    const key = `m/${String(m.at).padStart(16, '0')}/${String(this.#seq++).padStart(6, '0')}`;
    await this.#db.put(key, text.encode(JSON.stringify(m)));
  }

  async misbehaviours(): Promise<Misbehaviour[]> {
    const out: Misbehaviour[] = [];
    for await (const value of this.#db.values({ gte: 'm/', lt: 'm0' })) out.push(JSON.parse(decode.decode(value)) as Misbehaviour);
    return out;
  }
}
