import { describe, expect, it } from 'vitest';
import { workSignal } from './abort.ts';

describe('workSignal', () => {
  it('aborts with the parent’s reason when the parent aborts', () => {
    const parent = new AbortController();
    const w = workSignal(parent.signal, 60_000);
    parent.abort(new Error('shutting down'));
    expect(w.signal.aborted).toBe(true);
    expect((w.signal.reason as Error).message).toBe('shutting down');
    expect(w.timedOut).toBe(false);
    w.done();
  });

  it('starts aborted under an aborted parent', () => {
    const parent = new AbortController();
    parent.abort();
    expect(workSignal(parent.signal).signal.aborted).toBe(true);
  });

  it('aborts with a TimeoutError at the deadline', async () => {
    const w = workSignal(undefined, 5);
    await new Promise((resolve) => w.signal.addEventListener('abort', resolve, { once: true }));
    expect(w.timedOut).toBe(true);
    expect((w.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('aborts when told to', () => {
    const w = workSignal(undefined, 60_000);
    w.abort();
    expect(w.signal.aborted).toBe(true);
    expect(w.timedOut).toBe(false);
    w.done();
  });

  it('after done(), neither the parent nor the deadline aborts it', async () => {
    const parent = new AbortController();
    const w = workSignal(parent.signal, 5);
    w.done();
    await new Promise((resolve) => setTimeout(resolve, 20));
    parent.abort();
    expect(w.signal.aborted).toBe(false);
  });
});
