// Cosmos-shaped events. Every attribute is indexed (the SDK's default with an empty
// `index-events` list), so CometBFT's kv indexer can answer `message.sender='…'` and friends.
import type { Event } from 'cosmjs-types/tendermint/abci/types';

export type Attributes = Readonly<Record<string, string>>;

export function event(type: string, attributes: Attributes): Event {
  return {
    type,
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value, index: true })),
  };
}

/** Collects events in emission order; a branch's events are dropped with the branch. */
export class EventSink {
  readonly events: Event[] = [];

  emit(type: string, attributes: Attributes): void {
    this.events.push(event(type, attributes));
  }

  append(events: readonly Event[]): void {
    this.events.push(...events);
  }
}

/** Keeps nothing: for a ReCheckTx, whose events nobody reads (CometBFT keeps or drops the tx on its code). */
export class DiscardedEvents extends EventSink {
  override emit(): void {}
  override append(): void {}
}
