import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { branch } from './branch.ts';
import { CommitStore } from './commit-store.ts';
import { GasKVStore, GasMeter, STORE_GAS, UNLIMITED_GAS } from '../framework/gas.ts';
import { collect, dec, enc, hex, keyStr, modelRange } from '../../test/support/store.ts';
import type { Model } from '../../test/support/store.ts';
import type { KVRead, KVStore, Range } from './types.ts';

async function seeded(entries: Record<string, string>): Promise<CommitStore> {
  const store = await CommitStore.memory();
  for (const [k, v] of Object.entries(entries)) store.working.set(enc(k), enc(v));
  await store.commit(1n);
  return store;
}

async function keys(s: KVRead, range: Range): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of s.iterate(range)) out.push(`${dec(k)}=${dec(v)}`);
  return out;
}

describe('branch', () => {
  it('reads through to the parent and keeps its own writes until write()', async () => {
    const store = await seeded({ a: '1', b: '2' });
    const b = branch(store.working);
    b.set(enc('a'), enc('10'));
    b.delete(enc('b'));
    b.set(enc('c'), enc('3'));
    expect(dec((await b.get(enc('a'))) as Uint8Array)).toBe('10');
    expect(await b.get(enc('b'))).toBeUndefined();
    expect(dec((await store.working.get(enc('a'))) as Uint8Array)).toBe('1');
    expect(b.size).toBe(3);
    b.write();
    expect(b.size).toBe(0);
    expect(await keys(store.working, {})).toEqual(['a=10', 'c=3']);
  });

  it('drops its writes when it is simply not written', async () => {
    const store = await seeded({ a: '1' });
    const b = branch(store.working);
    b.set(enc('a'), enc('2'));
    expect(await keys(store.working, {})).toEqual(['a=1']);
    expect(await store.workingHash()).toEqual(store.lastAppHash);
  });

  it('nests: an inner branch writes into the outer one, which writes into the store', async () => {
    const store = await seeded({ a: '1' });
    const outer = branch(store.working);
    outer.set(enc('b'), enc('2'));
    const inner = branch(outer);
    inner.set(enc('c'), enc('3'));
    inner.delete(enc('a'));
    expect(await keys(outer, {})).toEqual(['a=1', 'b=2']);
    expect(await keys(inner, {})).toEqual(['b=2', 'c=3']);
    inner.write();
    expect(await keys(outer, {})).toEqual(['b=2', 'c=3']);
    expect(await keys(store.working, {})).toEqual(['a=1']);
    outer.write();
    expect(await keys(store.working, {})).toEqual(['b=2', 'c=3']);
  });

  it('merges overlay and parent in order, forwards and backwards, with prefix, bounds and limit', async () => {
    const store = await seeded({ a1: 'p', a3: 'p', a5: 'p', b1: 'p' });
    const b = branch(store.working);
    b.set(enc('a2'), enc('o'));
    b.set(enc('a3'), enc('o'));
    b.delete(enc('a5'));
    b.set(enc('a6'), enc('o'));
    expect(await keys(b, { prefix: enc('a') })).toEqual(['a1=p', 'a2=o', 'a3=o', 'a6=o']);
    expect(await keys(b, { prefix: enc('a'), reverse: true })).toEqual(['a6=o', 'a3=o', 'a2=o', 'a1=p']);
    expect(await keys(b, { prefix: enc('a'), reverse: true, limit: 2 })).toEqual(['a6=o', 'a3=o']);
    expect(await keys(b, { start: enc('a2'), end: enc('a6') })).toEqual(['a2=o', 'a3=o']);
    expect(await keys(b, { prefix: enc('a'), start: enc('a3'), limit: 1 })).toEqual(['a3=o']);
    expect(await keys(b, { prefix: enc('a'), end: enc('a2') })).toEqual(['a1=p']);
    expect(await keys(b, { limit: 0 })).toEqual([]);
  });

  it('lets a delete in the overlay hide the parent entry even when it would be within the limit', async () => {
    const store = await seeded({ a: '1', b: '2', c: '3' });
    const b = branch(store.working);
    b.delete(enc('a'));
    b.delete(enc('b'));
    expect(await keys(b, { limit: 1 })).toEqual(['c=3']);
  });

  it('keeps what was written even if the caller later changes its buffers', async () => {
    const store = await seeded({});
    const b = branch(store.working);
    const k = enc('k');
    const v = enc('v');
    b.set(k, v);
    v[0] = 0x78;
    k[0] = 0x78;
    expect(dec((await b.get(enc('k'))) as Uint8Array)).toBe('v');
    // Handed down through a nested branch and committed, it is still what was written.
    const inner = branch(b);
    const k2 = enc('k2');
    const v2 = enc('v2');
    inner.set(k2, v2);
    inner.write();
    b.write();
    v2[0] = 0x78;
    k2[0] = 0x78;
    await store.commit(2n);
    expect(await keys(store.committed, {})).toEqual(['k=v', 'k2=v2']);
  });

  it('writes into a gas-metered store through its set and delete, which charge for them', async () => {
    const store = await seeded({ a: '1' });
    const gas = new GasMeter(UNLIMITED_GAS);
    const b = branch(new GasKVStore(store.working, gas));
    b.set(enc('bb'), enc('22'));
    b.delete(enc('a'));
    b.write();
    expect(gas.used).toBe(STORE_GAS.writeCostFlat + STORE_GAS.writeCostPerByte * 4n + STORE_GAS.deleteCost);
    expect(await keys(store.working, {})).toEqual(['bb=22']);
  });

  it('rejects empty values, empty or oversized keys and malformed ranges', async () => {
    const store = await seeded({});
    const b = branch(store.working);
    expect(() => b.set(enc('k'), new Uint8Array(0))).toThrow(RangeError);
    expect(() => b.set(new Uint8Array(0), enc('v'))).toThrow(RangeError);
    expect(() => b.set(new Uint8Array(64 * 1024 + 1), enc('v'))).toThrow(RangeError);
    expect(() => b.set('k' as unknown as Uint8Array, enc('v'))).toThrow(TypeError);
    expect(() => b.iterate({ limit: -1 })).toThrow(RangeError);
    expect(() => b.iterate({ start: 'a' as unknown as Uint8Array })).toThrow(TypeError);
    b.set(new Uint8Array(64 * 1024), enc('v'));
    expect(b.size).toBe(1);
  });

  it('behaves like a plain ordered map under random nested writes and range reads', async () => {
    const key = fc.uint8Array({ minLength: 1, maxLength: 3, max: 3 });
    const op = fc.oneof(
      fc.record({ t: fc.constant('set' as const), k: key, v: fc.uint8Array({ minLength: 1, maxLength: 2 }) }),
      fc.record({ t: fc.constant('del' as const), k: key }),
      fc.record({ t: fc.constant('push' as const) }),
      fc.record({ t: fc.constant('write' as const) }),
      fc.record({ t: fc.constant('drop' as const) }),
    );
    const range = fc.record(
      {
        prefix: fc.uint8Array({ maxLength: 2, max: 3 }),
        start: fc.uint8Array({ maxLength: 3, max: 3 }),
        end: fc.uint8Array({ maxLength: 3, max: 3 }),
        reverse: fc.boolean(),
        limit: fc.nat(6),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), fc.array(range, { minLength: 1, maxLength: 4 }), async (ops, ranges) => {
        const store = await CommitStore.memory();
        store.working.set(Uint8Array.of(1), Uint8Array.of(9));
        store.working.set(Uint8Array.of(2, 0), Uint8Array.of(9));
        await store.commit(1n);
        const stack: { s: KVStore & { write?: () => void }; m: Model }[] = [
          { s: store.working, m: new Map([[keyStr(Uint8Array.of(1)), Uint8Array.of(9)], [keyStr(Uint8Array.of(2, 0)), Uint8Array.of(9)]]) },
        ];
        const top = (): (typeof stack)[number] => stack[stack.length - 1] as (typeof stack)[number];
        for (const o of ops) {
          if (o.t === 'set') {
            top().s.set(o.k, o.v);
            top().m.set(keyStr(o.k), o.v);
          } else if (o.t === 'del') {
            top().s.delete(o.k);
            top().m.delete(keyStr(o.k));
          } else if (o.t === 'push') {
            stack.push({ s: branch(top().s), m: new Map(top().m) });
          } else if (stack.length > 1) {
            const t = stack.pop() as (typeof stack)[number];
            if (o.t === 'write') {
              (t.s.write as () => void)();
              top().m = t.m;
            }
          }
        }
        for (const level of stack) {
          for (const r of ranges) expect(await collect(level.s.iterate(r))).toEqual(modelRange(level.m, r));
          for (const k of [Uint8Array.of(1), Uint8Array.of(2, 0), Uint8Array.of(3)]) {
            const got = await level.s.get(k);
            const want = level.m.get(keyStr(k));
            expect(got === undefined ? undefined : hex(got)).toEqual(want === undefined ? undefined : hex(want));
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
