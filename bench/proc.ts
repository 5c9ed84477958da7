// Per-process memory and CPU from /proc (Linux), for the app, the CometBFT child and the loader.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** VmRSS in MiB, or undefined when the process is gone (or this is not Linux). */
export function rssMiB(pid: number): number | undefined {
  return statusField(pid, 'VmRSS');
}

/** VmHWM (peak RSS over the process's life) in MiB. */
export function peakRssMiB(pid: number): number | undefined {
  return statusField(pid, 'VmHWM');
}

function statusField(pid: number, field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds the process has used so far (all its threads). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces; the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU seconds all processes on the machine have used so far (busy time summed over cores). */
export function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal ...
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Where a process's resident memory sits, in MiB, from /proc/<pid>/smaps: glibc's main heap (`[heap]`),
 * glibc's thread arenas (a read-write mapping whose PROT_NONE rest makes up 64 MiB), the other
 * anonymous mappings (V8's heap pages, large mmap'd blocks) and file pages (code, mapped LevelDB
 * tables). Undefined when the process is gone. */
export function rssParts(pid: number): { heap: number; arenas: number; anon: number; file: number; tables: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return undefined;
  }
  // `tables`: the part of `file` that is LevelDB's table files, which it maps to read them.
  const parts = { heap: 0, arenas: 0, anon: 0, file: 0, tables: 0 };
  interface Mapping { start: number; end: number; perms: string; kind: 'heap' | 'anon' | 'file'; table: boolean; rss: number }
  const maps: Mapping[] = [];
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (head !== null) {
      const name = head[5]!;
      const kind = name === '[heap]' ? 'heap' : head[4] !== '0' || name.startsWith('/') ? 'file' : 'anon';
      maps.push({ start: parseInt(head[1]!, 16), end: parseInt(head[2]!, 16), perms: head[3]!, kind, table: name.endsWith('.ldb'), rss: 0 });
      continue;
    }
    const m = /^Rss:\s+(\d+) kB/.exec(line);
    if (m !== null && maps.length > 0) maps.at(-1)!.rss = Number(m[1]) / 1024;
  }
  for (const [i, m] of maps.entries()) {
    const next = maps[i + 1];
    const arena = m.kind === 'anon' && m.perms.startsWith('rw') && next?.kind === 'anon' && next.perms.startsWith('---') && next.start === m.end && next.end - m.start === 64 * 2 ** 20;
    parts[arena ? 'arenas' : m.kind] += m.rss;
    if (m.table) parts.tables += m.rss;
  }
  return parts;
}

/** CPU seconds each thread of this process has run so far, by thread id (schedstat: ns, not ticks). */
export function threadCpuSeconds(): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      out.set(Number(tid), Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e9);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}
