import { describe, expect, it } from 'vitest';
import { SerialQueue } from './serial.ts';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('the serial queue', () => {
  it('runs jobs one at a time in the order they were queued, even when one fails', async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    let running = 0;
    const job = (name: string, fail = false) => async (): Promise<void> => {
      expect(running).toBe(0);
      running++;
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      running--;
      if (fail) throw new Error(name);
    };
    q.push(job('a'));
    q.push(job('b', true));
    q.push(job('c'));
    expect(log).toEqual([]); // nothing runs inside push()
    expect(q.size).toBe(3);
    await q.whenIdle();
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(q.size).toBe(0);
  });

  it('reports idle at once when empty and keeps working after long runs', async () => {
    const q = new SerialQueue();
    await q.whenIdle();
    let n = 0;
    for (let i = 0; i < 5000; i++) q.push(async () => void n++);
    await q.whenIdle();
    expect(n).toBe(5000);
    q.push(async () => void n++);
    await q.whenIdle();
    expect(n).toBe(5001);
  });
});

describe('the serial queue lanes', () => {
  it('starts ahead jobs before waiting ordinary ones, never before the running one, each lane in order', async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    const job = (name: string) => async (): Promise<void> => {
      log.push(name);
      await tick();
    };
    q.push(job('o1'));
    q.push(job('o2'));
    q.push(job('o3'));
    await new Promise<void>((r) => queueMicrotask(r)); // o1 is running
    q.push(job('a1'), true);
    q.push(job('a2'), true);
    expect(q.size).toBe(5);
    await q.whenIdle();
    expect(log).toEqual(['o1', 'a1', 'a2', 'o2', 'o3']);
  });
});
