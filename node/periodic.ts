// A job that runs every intervalMs in the background, never twice at once. Errors are handed to
// onError (a log line), never thrown: a failed pass must not stop the next one. A Service
// (node/service.ts): stop() clears the timer, aborts the signal the running pass was given, and
// waits for that pass to return.
import { Lifecycle, type Service, type StartOptions } from './service.ts';

export interface PeriodicTaskOptions {
  /** What the task is called in errors ("watcher", "availability reporter"). */
  readonly name: string;
  /** One pass; `signal` aborts when the task stops. */
  readonly job: (signal: AbortSignal) => Promise<unknown>;
  readonly intervalMs: number;
  readonly onError: (e: Error) => void;
  /** A first pass at start(), not one interval later. */
  readonly passAtStart?: boolean;
}

export class PeriodicTask implements Service {
  readonly #o: PeriodicTaskOptions;
  readonly #life: Lifecycle;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(opts: PeriodicTaskOptions) {
    this.#o = opts;
    this.#life = new Lifecycle(opts.name);
  }

  start(opts: StartOptions = {}): Promise<void> {
    return this.#life.start(
      opts,
      async () => {
        if (this.#o.passAtStart === true) void this.tick();
        this.#timer = setInterval(() => void this.tick(), this.#o.intervalMs);
        this.#timer.unref();
      },
      () => this.stop(),
    );
  }

  stop(): Promise<void> {
    return this.#life.stop(async () => {
      if (this.#timer !== undefined) clearInterval(this.#timer);
      this.#timer = undefined;
      await this.#running;
    });
  }

  /** One pass, or the one already running; none once stopping. */
  tick(): Promise<void> {
    if (this.#life.stopping) return this.#running ?? Promise.resolve();
    this.#running ??= this.#o
      .job(this.#life.signal)
      .then(() => undefined)
      .catch((e: unknown) => this.#o.onError(e as Error))
      .finally(() => (this.#running = undefined));
    return this.#running;
  }
}
