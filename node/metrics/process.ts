// The process's own health, as Prometheus names it for Node.js (prom-client's default names): resident
// memory, V8 heap, and event-loop lag. A validator alerts on RSS growth and on lag (a blocked loop
// delays every ABCI answer); `npm run soak` samples them.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MetricFamily } from './exposition.ts';

let delay: ReturnType<typeof monitorEventLoopDelay> | undefined;

/** Starts measuring event-loop delay (20 ms resolution) the first time it is asked for. */
function loopDelay(): ReturnType<typeof monitorEventLoopDelay> {
  if (delay === undefined) {
    delay = monitorEventLoopDelay({ resolution: 20 });
    delay.enable();
  }
  return delay;
}

export function processFamilies(): MetricFamily[] {
  const mem = process.memoryUsage();
  const lag = loopDelay();
  const seconds = (ns: number): number => (Number.isFinite(ns) ? ns / 1e9 : 0);
  const families: MetricFamily[] = [
    { name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.', type: 'gauge', samples: [{ value: mem.rss }] },
    { name: 'nodejs_heap_size_used_bytes', help: 'V8 heap in use, in bytes.', type: 'gauge', samples: [{ value: mem.heapUsed }] },
    { name: 'nodejs_heap_size_total_bytes', help: 'V8 heap allocated, in bytes.', type: 'gauge', samples: [{ value: mem.heapTotal }] },
    { name: 'nodejs_external_memory_bytes', help: 'Memory held outside the V8 heap (buffers, LevelDB), in bytes.', type: 'gauge', samples: [{ value: mem.external }] },
    { name: 'nodejs_eventloop_lag_mean_seconds', help: 'Mean event-loop delay since the previous scrape.', type: 'gauge', samples: [{ value: seconds(lag.mean) }] },
    { name: 'nodejs_eventloop_lag_p99_seconds', help: '99th percentile of event-loop delay since the previous scrape.', type: 'gauge', samples: [{ value: seconds(lag.percentile(99)) }] },
    { name: 'nodejs_eventloop_lag_max_seconds', help: 'Longest event-loop delay since the previous scrape.', type: 'gauge', samples: [{ value: seconds(lag.max) }] },
  ];
  lag.reset();
  return families;
}
