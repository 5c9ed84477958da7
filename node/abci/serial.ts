// One queue of jobs, run strictly one after another, in two lanes: jobs of the ahead lane start
// before any job waiting in the ordinary lane; within a lane, in the order they were queued.
//
// The ABCI server puts every request from every connection through a single instance. CometBFT's own
// Go socket server does the same (one mutex around the app for all connections), and applications
// are written against that guarantee: the app is async, and if a CheckTx on the mempool connection
// could run while FinalizeBlock or Commit awaits LevelDB on the consensus connection, it would read
// half-written state. Serialising here keeps every app method atomic with respect to the others.
//
// Per-connection order: a connection puts all its jobs in one lane (connection.ts), so they run in
// request order. The consensus connection's lane is the ahead one: under load up to 256 CheckTx per
// connection wait in the queue, and FinalizeBlock or PrepareProposal behind them delayed the block.
// Order between connections is not CometBFT's to see (four sockets, no common sequence; the ABCI spec
// calls them concurrent), and CheckTx reads the last committed state whatever runs before it.

export type Job = () => Promise<void>;

class Lane {
  jobs: Job[] = [];
  head = 0;

  get size(): number {
    return this.jobs.length - this.head;
  }

  take(): Job {
    const job = this.jobs[this.head] as Job;
    this.jobs[this.head++] = noop; // drop the reference so a finished job can be collected
    if (this.head === this.jobs.length) {
      this.jobs = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.jobs.length) {
      // Compact occasionally instead of Array#shift on every job.
      this.jobs = this.jobs.slice(this.head);
      this.head = 0;
    }
    return job;
  }
}

export class SerialQueue {
  readonly #ahead = new Lane();
  readonly #ordinary = new Lane();
  #running = false;
  #current = false;
  #idleWaiters: (() => void)[] = [];

  /** Jobs waiting or running. */
  get size(): number {
    return this.#ahead.size + this.#ordinary.size + (this.#current ? 1 : 0);
  }

  /**
   * Queues `job`; it starts once the job running now has settled, after every job queued before it
   * in its lane and every job of the ahead lane. A rejection is ignored.
   */
  push(job: Job, ahead = false): void {
    (ahead ? this.#ahead : this.#ordinary).jobs.push(job);
    if (this.#running) return;
    this.#running = true;
    // Start on a microtask, never inside the caller's stack (e.g. the middle of a socket 'data' event).
    queueMicrotask(() => void this.#drain());
  }

  /** Resolves once nothing is queued or running. */
  whenIdle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #drain(): Promise<void> {
    for (;;) {
      const lane = this.#ahead.size > 0 ? this.#ahead : this.#ordinary.size > 0 ? this.#ordinary : undefined;
      if (lane === undefined) break;
      const job = lane.take();
      this.#current = true;
      try {
        await job();
      } catch {
        // Jobs handle their own errors; a stray rejection must not stop every other connection.
      }
      this.#current = false;
    }
    this.#running = false;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}

const noop: Job = async () => {};
