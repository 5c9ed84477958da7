// Cosmos-shaped events. Every attribute is indexed (the SDK's default with an empty
// `index-events` list), so CometBFT's kv indexer can answer `message.sender='…'` and friends.
import type { Event } from 'cosmjs-types/tendermint/abci/types';

export type Attributes = Readonly<Record<string, string>>;

export function event(type: string, attributes: Attributes): Event {
  // Object.keys and a loop, not Object.entries().map(): the same order without a pair array per
  // attribute (a bank send emits ~20 attributes a pass).
  const keys = Object.keys(attributes);
  const out: Event['attributes'] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    out[i] = { key, value: attributes[key] as string, index: true };
  }
  return { type, attributes: out };
}

/** Collects events in emission order; a branch's events are dropped with the branch. */
export class EventSink {
  readonly events: Event[] = [];
  /**
   * False when emitted events are dropped: a hot path (the ante's and the bank's, run at every
   * CheckTx and ReCheckTx) then skips formatting their attributes, which nobody would read.
   */
  get kept(): boolean {
    return true;
  }

  emit(type: string, attributes: Attributes): void {
    this.events.push(event(type, attributes));
  }

  append(events: readonly Event[]): void {
    this.events.push(...events);
  }
}

/** Keeps nothing: for a CheckTx, whose events nobody reads (CometBFT's mempool keeps or drops the tx on its code). */
export class DiscardedEvents extends EventSink {
  override get kept(): boolean {
    return false;
  }

  override emit(): void {}
  override append(): void {}
}
