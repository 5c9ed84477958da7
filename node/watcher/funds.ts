// The watcher's funds check: reads the watcher key's balance in the challenge-bond denom once the
// chain has state, then every `everyMs`, and says in the log when it runs dry (its challenges cannot
// land until the address is funded) and when it is funded again. A Service (node/service.ts).
import type { Logger } from '../log.ts';
import { PeriodicTask } from '../periodic.ts';
import type { Service, StartOptions } from '../service.ts';

export interface FundsCheckOptions {
  /** The watcher key's account. */
  readonly address: string;
  /** The last committed height: nothing is read before the first block. */
  readonly height: () => bigint;
  /** The denom challenges are paid in (the receipts module's challenge bond). */
  readonly denom: () => Promise<string>;
  /** The account's balance in `denom`; undefined when the chain could not answer. */
  readonly balance: (denom: string) => Promise<bigint | undefined>;
  readonly logger: Logger;
  /** How often the balance is read again (ms, default 30 s). */
  readonly everyMs?: number;
  /** How often it looks whether a read is due (ms, default 1 s): the first read follows the first block closely. */
  readonly pollMs?: number;
}

export class FundsCheck implements Service {
  /** The balance at the last read; undefined before the chain has state. */
  last: bigint | undefined;
  readonly #o: FundsCheckOptions;
  readonly #loop: PeriodicTask;
  #checkedAt = 0;

  constructor(opts: FundsCheckOptions) {
    this.#o = opts;
    this.#loop = new PeriodicTask({
      name: 'watcher funds check',
      job: () => this.#check(),
      intervalMs: opts.pollMs ?? 1000,
      onError: (e) => opts.logger.warn('watcher: balance check failed', { error: e.message }),
      passAtStart: true,
    });
  }

  start(opts: StartOptions = {}): Promise<void> {
    return this.#loop.start(opts);
  }

  /** Stops; a balance read in flight is waited for. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** A read when one is due; errors are logged, never thrown. */
  tick(): Promise<void> {
    return this.#loop.tick();
  }

  async #check(): Promise<void> {
    if (this.#o.height() === 0n) return;
    if (this.last !== undefined && Date.now() - this.#checkedAt < (this.#o.everyMs ?? 30_000)) return;
    const denom = await this.#o.denom();
    const now = await this.#o.balance(denom);
    if (now === undefined) return;
    const before = this.last;
    this.last = now;
    this.#checkedAt = Date.now();
    const address = this.#o.address;
    if (now === 0n && (before === undefined || before > 0n)) {
      this.#o.logger.warn(`watcher: its key holds no ${denom}; its challenges will fail until ${address} is funded`, { address, fund: `cairn tx bank send <key> ${address} 10000000${denom}` });
    } else if (now > 0n && before === 0n) {
      this.#o.logger.info('watcher: key funded; challenges can be paid', { address, balance: `${now}${denom}` });
    }
  }
}
