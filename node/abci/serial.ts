// One FIFO of jobs, run strictly one after another.
//
// The ABCI server puts every request from every connection through a single instance. CometBFT's own
// Go socket server does the same (one mutex around the app for all connections), and applications
// are written against that guarantee: the app is async, and if a CheckTx on the mempool connection
// could run while FinalizeBlock or Commit awaits LevelDB on the consensus connection, it would read
// half-written state. Serialising here keeps every app method atomic with respect to the others.
// Per-connection order follows from the FIFO: a connection's jobs are queued in request order.

export type Job = () => Promise<void>;

export class SerialQueue {
  #jobs: Job[] = [];
  #head = 0;
  #running = false;
  #current = false;
  #idleWaiters: (() => void)[] = [];

  /** Jobs waiting or running. */
  get size(): number {
    return this.#jobs.length - this.#head + (this.#current ? 1 : 0);
  }

  /** Queues `job`; it starts after every job queued before it has settled. A rejection is ignored. */
  push(job: Job): void {
    this.#jobs.push(job);
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
    while (this.#head < this.#jobs.length) {
      const job = this.#jobs[this.#head] as Job;
      this.#jobs[this.#head++] = noop; // drop the reference so a finished job can be collected
      // Compact occasionally instead of Array#shift on every job.
      if (this.#head > 1024 && this.#head * 2 > this.#jobs.length) {
        this.#jobs = this.#jobs.slice(this.#head);
        this.#head = 0;
      }
      this.#current = true;
      try {
        await job();
      } catch {
        // Jobs handle their own errors; a stray rejection must not stop every other connection.
      }
      this.#current = false;
    }
    this.#jobs = [];
    this.#head = 0;
    this.#running = false;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}

const noop: Job = async () => {};
