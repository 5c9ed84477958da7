// Which operators the payer gateway does not pick for now, and until when. In proportion to what
// went wrong:
// - A failure (no answer, an HTTP error, a broken stream) may pass by itself: a restart, a moment of
//   overload. The first sets the operator aside briefly, each one in a row doubles that, up to a cap;
//   its next good answer forgets the run (and ends such a set-aside early).
// - A receipt or a batch that fails the payer's checks (a wrong price, inflated units, a hash of
//   another request, a receipt in two batches) is no accident: the operator signed what the chain
//   punishes as fraud. It is set aside for much longer, and a good answer in between (a request
//   that was already in flight) does not shorten it.
// Kept in memory: a restarted gateway gives every operator a new chance.

export interface SetAsidePolicy {
  /** After the first failure in a row (ms); doubled at each further one. */
  readonly firstMs: number;
  /** The most a run of failures sets an operator aside (ms). */
  readonly maxMs: number;
  /** After a receipt or batch that fails the checks (ms). */
  readonly dishonestMs: number;
}

export const DEFAULT_SET_ASIDE: SetAsidePolicy = { firstMs: 1_000, maxMs: 60_000, dishonestMs: 3_600_000 };

export type Failure = 'error' | 'dishonest';

interface State {
  /** Failures in a row since the last good answer. */
  readonly run: number;
  readonly errorUntil: number;
  readonly dishonestUntil: number;
}

export class SetAside {
  readonly #p: SetAsidePolicy;
  readonly #s = new Map<string, State>();

  constructor(policy: SetAsidePolicy = DEFAULT_SET_ASIDE) {
    this.#p = policy;
  }

  /** Records a failure of `operator` at `now` (unix ms); returns how long it is set aside from now (ms). */
  failed(operator: string, kind: Failure, now: number): number {
    const s = this.#s.get(operator) ?? { run: 0, errorUntil: 0, dishonestUntil: 0 };
    let next: State;
    if (kind === 'dishonest') {
      next = { ...s, dishonestUntil: Math.max(s.dishonestUntil, now + this.#p.dishonestMs) };
    } else {
      const run = s.run + 1;
      const ms = Math.min(this.#p.maxMs, this.#p.firstMs * 2 ** Math.min(run - 1, 40));
      next = { ...s, run, errorUntil: Math.max(s.errorUntil, now + ms) };
    }
    this.#s.set(operator, next);
    return Math.max(next.errorUntil, next.dishonestUntil) - now;
  }

  /** A good answer from `operator`: the run of failures is over. */
  succeeded(operator: string, now: number): void {
    const s = this.#s.get(operator);
    if (s === undefined) return;
    if (s.dishonestUntil > now) this.#s.set(operator, { run: 0, errorUntil: 0, dishonestUntil: s.dishonestUntil });
    else this.#s.delete(operator);
  }

  /** Whether `operator` is not to be picked at `now`. */
  isAside(operator: string, now: number): boolean {
    const s = this.#s.get(operator);
    return s !== undefined && (s.errorUntil > now || s.dishonestUntil > now);
  }
}
