// A job that runs every intervalMs in the background, never twice at once. Errors are handed to
// onError (a log line), never thrown: a failed pass must not stop the next one.
export class PeriodicTask {
  readonly #job: () => Promise<unknown>;
  readonly #intervalMs: number;
  readonly #onError: (e: Error) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(job: () => Promise<unknown>, intervalMs: number, onError: (e: Error) => void) {
    this.#job = job;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
  }

  /** Starts the timer (and, with `now`, a first pass at once). */
  start(now = false): void {
    if (this.#timer !== undefined) return;
    if (now) void this.tick();
    this.#timer = setInterval(() => void this.tick(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One pass, or the one already running. */
  tick(): Promise<void> {
    this.#running ??= this.#job()
      .then(() => undefined)
      .catch((e: unknown) => this.#onError(e as Error))
      .finally(() => (this.#running = undefined));
    return this.#running;
  }
}
