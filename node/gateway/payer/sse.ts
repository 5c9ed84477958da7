// Server-sent events as they arrive: splits a byte stream into events, each with its exact bytes
// (the payer hashes every byte before the receipt event) and its parsed `event` and `data` fields.

export interface SseEvent {
  /** The event's bytes, its terminating blank line included. */
  readonly raw: Uint8Array;
  readonly event: string | undefined;
  /** The data lines joined by "\n"; undefined when there were none. */
  readonly data: string | undefined;
}

const decoder = new TextDecoder();

/** Index just past the first blank line (LF LF, or CR LF CR LF) of the event starting at `start`, searching from `from`; -1 if none yet. */
function boundary(buf: Uint8Array, start: number, from: number): number {
  for (let i = Math.max(from, start + 1); i < buf.length; i++) {
    if (buf[i] !== 0x0a) continue;
    if (buf[i - 1] === 0x0a) return i + 1;
    if (i - 3 >= start && buf[i - 1] === 0x0d && buf[i - 2] === 0x0a && buf[i - 3] === 0x0d) return i + 1;
  }
  return -1;
}

export function parseEvent(raw: Uint8Array): SseEvent {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of decoder.decode(raw).split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return { raw, event, data: data.length === 0 ? undefined : data.join('\n') };
}

/** Feed chunks in; complete events come out. `rest()` is what remained after the last one. */
export class SseSplitter {
  #buf: Uint8Array = new Uint8Array();
  #scanned = 0;

  push(chunk: Uint8Array): SseEvent[] {
    const merged = new Uint8Array(this.#buf.length + chunk.length);
    merged.set(this.#buf);
    merged.set(chunk, this.#buf.length);
    this.#buf = merged;
    const out: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const end = boundary(this.#buf, start, Math.max(start, this.#scanned - 3));
      if (end < 0) break;
      out.push(parseEvent(this.#buf.subarray(start, end)));
      start = end;
      this.#scanned = end;
    }
    this.#buf = this.#buf.slice(start);
    this.#scanned = Math.max(0, this.#buf.length);
    return out;
  }

  rest(): Uint8Array {
    return this.#buf;
  }
}
