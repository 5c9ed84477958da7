import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend, BatchOp, Cursor } from './backend.ts';
import { LevelBackend } from './level-backend.ts';
import { MemoryBackend } from './memory-backend.ts';
import { hex, tempDir } from '../../test/support/store.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function drain(c: Cursor, seekAt: number, target: Uint8Array): Promise<string[]> {
  const out: string[] = [];
  try {
    for (let i = 0; i < 50; i++) {
      if (i === seekAt) c.seek(target);
      const e = await c.next();
      if (e === undefined) break;
      out.push(`${hex(e[0])}=${hex(e[1])}`);
    }
  } finally {
    await c.close();
  }
  return out;
}

describe('memory backend', () => {
  it('answers batches, point reads, ranged cursors and seeks exactly like LevelDB', async () => {
    const d = tempDir();
    cleanups.push(d.remove);
    const level = await LevelBackend.open(d.path);
    cleanups.push(() => level.close());
    const key = fc.uint8Array({ minLength: 1, maxLength: 3, max: 3 });
    const op = fc.oneof(
      fc.record({ type: fc.constant('put' as const), key, value: fc.uint8Array({ minLength: 1, maxLength: 2 }) }),
      fc.record({ type: fc.constant('del' as const), key }),
    );
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { maxLength: 10 }), { maxLength: 4 }),
        fc.record({ gte: fc.option(key, { nil: undefined }), lt: fc.option(key, { nil: undefined }), reverse: fc.boolean() }),
        fc.nat(4),
        key,
        async (batches, range, seekAt, target) => {
          // Each run uses its own key space inside the one LevelDB.
          const tag = Uint8Array.of(round >> 8, round & 0xff);
          round++;
          const scoped = (k: Uint8Array): Uint8Array => Uint8Array.from([...tag, ...k]);
          const memory = new MemoryBackend();
          const both: Backend[] = [memory, level];
          for (const batch of batches) {
            const scopedBatch: BatchOp[] = batch.map((o) => (o.type === 'put' ? { ...o, key: scoped(o.key) } : { ...o, key: scoped(o.key) }));
            for (const b of both) await b.write(scopedBatch);
          }
          const r = {
            gte: scoped(range.gte ?? new Uint8Array(0)),
            lt: range.lt === undefined ? Uint8Array.from([tag[0] as number, (tag[1] as number) + 1]) : scoped(range.lt),
            reverse: range.reverse,
          };
          if ((tag[1] as number) === 0xff) return;
          const [m, l] = await Promise.all(both.map((b) => drain(b.cursor(r), seekAt, scoped(target))));
          expect(m).toEqual(l);
          const probe = scoped(target);
          const gm = memory.getSync(probe);
          const gl = level.getSync(probe);
          expect(gm === undefined ? undefined : hex(gm)).toBe(gl === undefined ? undefined : hex(gl));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('lets an open cursor keep reading the snapshot it started from', async () => {
    const m = new MemoryBackend();
    await m.write([{ type: 'put', key: Uint8Array.of(1), value: Uint8Array.of(1) }]);
    const c = m.cursor({});
    await m.write([
      { type: 'del', key: Uint8Array.of(1) },
      { type: 'put', key: Uint8Array.of(2), value: Uint8Array.of(2) },
    ]);
    expect(await drain(c, -1, new Uint8Array(0))).toEqual(['01=01']);
    expect(await drain(m.cursor({}), -1, new Uint8Array(0))).toEqual(['02=02']);
  });
});

describe('LevelDB backend', () => {
  it('ends a cursor sought outside its range, even on an empty database (classic-level would abort the process)', async () => {
    const d = tempDir();
    cleanups.push(d.remove);
    const level = await LevelBackend.open(d.path);
    cleanups.push(() => level.close());
    for (const reverse of [false, true]) {
      expect(await drain(level.cursor({ gte: Uint8Array.of(1), lt: Uint8Array.of(5), reverse }), 0, Uint8Array.of(9))).toEqual([]);
      expect(await drain(level.cursor({ gte: Uint8Array.of(1), lt: Uint8Array.of(5), reverse }), 0, Uint8Array.of(0))).toEqual([]);
    }
    await level.write([{ type: 'put', key: Uint8Array.of(3), value: Uint8Array.of(7) }]);
    const inRange = level.cursor({ gte: Uint8Array.of(1), lt: Uint8Array.of(5) });
    inRange.seek(Uint8Array.of(9));
    inRange.seek(Uint8Array.of(2));
    expect(await drain(inRange, -1, new Uint8Array(0))).toEqual(['03=07']);
  });
});
