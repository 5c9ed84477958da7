// The shape of every long-lived part of a running node (the watcher, the availability reporter, the
// funds check, the p2p service, the metrics server, and each periodic job), as js-libp2p's
// components have it: start() brings the part up and resolves once it runs; stop() takes it down,
// may be called any number of times (every call gets the same promise), and resolves only when the
// work in flight has finished, so that what the part used (a store, a socket, a key's sequence) may
// be closed right after. Aborting the signal given to start() is the same as calling stop(). A
// stopped part stays stopped: make a new one to run again. node/abci/server.ts is the model.
export interface StartOptions {
  /** Aborting it stops the part (the node's shutdown signal). */
  readonly signal?: AbortSignal;
}

export interface Service {
  start(opts?: StartOptions): Promise<void>;
  stop(): Promise<void>;
}

export class ServiceStoppedError extends Error {
  override readonly name = 'ServiceStoppedError';
}

/** The bookkeeping every Service shares: start once, stop once, stop waits for a start in flight. */
export class Lifecycle {
  readonly #name: string;
  readonly #abort = new AbortController();
  #started: Promise<void> | undefined;
  #stopped: Promise<void> | undefined;

  constructor(name: string) {
    this.#name = name;
  }

  /** Aborted as soon as stop() begins: work in flight hands it on (fetch, waits) to end early. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get stopping(): boolean {
    return this.#stopped !== undefined;
  }

  /** Runs `up` once (a second start() gets the first one's promise); `opts.signal` aborting calls `stop`. */
  start(opts: StartOptions, up: () => Promise<void>, stop: () => Promise<void>): Promise<void> {
    if (this.#stopped !== undefined) return Promise.reject(new ServiceStoppedError(`the ${this.#name} was stopped; make a new one to run again`));
    const outer = opts.signal;
    if (outer?.aborted === true) return Promise.reject(new ServiceStoppedError(`the ${this.#name} was not started: its signal is already aborted`));
    this.#started ??= (async () => {
      outer?.addEventListener('abort', () => void stop(), { once: true, signal: this.#abort.signal });
      await up();
    })();
    return this.#started;
  }

  /** Aborts `signal`, waits for a start in flight, then runs `down` once; every call gets the same promise. */
  stop(down: () => Promise<void>): Promise<void> {
    this.#stopped ??= (async () => {
      this.#abort.abort(new ServiceStoppedError(`the ${this.#name} is stopping`));
      await this.#started?.catch(() => undefined);
      await down();
    })();
    return this.#stopped;
  }
}
