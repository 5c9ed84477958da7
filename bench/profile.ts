// The inspector's CPU profiler on this thread, and where a profile's time went, for the benches'
// "what limits it" tables.
import { Session } from 'node:inspector';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

/** A V8 CPU profile (.cpuprofile, what Chrome DevTools opens). */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Starts sampling this thread every 200 µs; stop() returns the profile. */
export async function startProfile(): Promise<{ stop(): Promise<CpuProfile> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    async stop(): Promise<CpuProfile> {
      const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
      session.disconnect();
      return profile;
    },
  };
}

/** Self time by function (name, file and line), largest first; idle time is left out, and so is the profiler's own stopping. */
export function selfTimes(profile: CpuProfile, top: number): { readonly name: string; readonly ms: number; readonly share: number }[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byNode.get(id)!.callFrame;
    if (f.functionName === '(idle)' || f.url === 'node:inspector') return; // idle, or the profiler stopping
    const file = f.url.replace(/^file:\/\/.*?\/(node_modules|core|sdk|node|modules|proto|bench)\//, '$1/');
    const name = f.url === '' ? f.functionName || '(native code)' : `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / busy }));
}

/**
 * Busy time by what it was for: each sample goes to the category of the frame nearest the leaf that
 * `categorize` names (walking up the stack), else to "other". Idle time and the profiler are left out.
 */
export function timeByCategory(profile: CpuProfile, categorize: (frame: CallFrame) => string | undefined): { readonly category: string; readonly ms: number; readonly share: number }[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, string>();
  const categoryOf = (id: number): string => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const up = parent.get(id);
    const c = categorize(byNode.get(id)!.callFrame) ?? (up === undefined ? 'other' : categoryOf(up));
    memo.set(id, c);
    return c;
  };
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byNode.get(id)!.callFrame;
    if (f.functionName === '(idle)' || f.url === 'node:inspector') return;
    const c = categoryOf(id);
    totals.set(c, (totals.get(c) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals].sort((a, b) => b[1] - a[1]).map(([category, us]) => ({ category, ms: us / 1000, share: us / busy }));
}

interface AllocationNode {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: readonly AllocationNode[];
}

/** Bytes allocated per sample, on average. */
const ALLOCATION_SAMPLE_BYTES = 16_384;

/**
 * Samples allocations on this thread (one sample per ALLOCATION_SAMPLE_BYTES on average). 'all' keeps the
 * objects collectors have freed since: what a young-generation collection costs is the bytes
 * allocated, not the bytes kept. 'survivors' leaves out what a young collection freed, so it keeps
 * what was promoted (or is still alive): what the old generation's collections are paid for. stop()
 * returns the bytes sampled by allocating function.
 */
export async function startAllocationSampling(which: 'all' | 'survivors' = 'all'): Promise<{ stop(): Promise<{ readonly name: string; readonly bytes: number }[]> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', {
    samplingInterval: ALLOCATION_SAMPLE_BYTES,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: which === 'all',
  });
  return {
    async stop() {
      const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: { head: AllocationNode } };
      session.disconnect();
      const totals = new Map<string, number>();
      const nameOf = (f: CallFrame): string => {
        const file = f.url.replace(/^file:\/\/.*?\/(node_modules|core|sdk|node|modules|proto|bench)\//, '$1/');
        return f.url === '' ? f.functionName || '(native code)' : `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
      };
      // A built-in (slice, Uint8Array, ...) is named with its caller: that is where the allocation is decided.
      const walk = (n: AllocationNode, caller: string): void => {
        const own = nameOf(n.callFrame);
        const name = n.callFrame.url === '' && caller !== '' ? `${own} ← ${caller}` : own;
        if (n.selfSize > 0) totals.set(name, (totals.get(name) ?? 0) + n.selfSize);
        for (const c of n.children) walk(c, n.callFrame.url === '' ? caller : own);
      };
      walk(profile.head, '');
      return [...totals].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => ({ name, bytes }));
    },
  };
}

/** How many allocating functions printAllocations lists. */
const ALLOCATION_ROWS = 25;

/** The largest allocating functions of a sample, per tx. */
export function printAllocations(title: string, sites: readonly { name: string; bytes: number }[], txs: number): void {
  const total = sites.reduce((n, s) => n + s.bytes, 0);
  console.log(`\n${title}: ${(total / txs / 1024).toFixed(1)} KiB per tx. Largest sites:\n`);
  console.log('| function | bytes per tx | share |');
  console.log('|---|---:|---:|');
  for (const s of sites.slice(0, ALLOCATION_ROWS)) console.log(`| ${s.name} | ${Math.round(s.bytes / txs)} | ${((s.bytes / total) * 100).toFixed(1)} % |`);
}
