// Server-sent events as OpenAI-compatible servers stream them (`data: {json}\n\n` … `data: [DONE]`),
// split into whole events without re-encoding them: each comes with its exact bytes, so a gateway
// can forward a stream byte for byte and hash what it forwarded (the receipt's response_hash).
// Both line endings are accepted (\n and \r\n); a field line is `name: value` or `name:value`.

export interface SseEvent {
  /** The event's bytes as received, its terminating blank line included. */
  readonly raw: Uint8Array;
  /** The `event:` field, or 'message'. */
  readonly event: string;
  /** The `data:` lines joined by \n. */
  readonly data: string;
}

const LF = 0x0a;
const decoder = new TextDecoder();

/** The end (exclusive) of the first blank line in `buf` from `from`, or -1. */
function eventEnd(buf: Uint8Array, from: number): number {
  for (let i = from; i < buf.length; i++) {
    if (buf[i] !== LF) continue;
    // a blank line: \n\n or \n\r\n
    if (buf[i + 1] === LF) return i + 2;
    if (buf[i + 1] === 0x0d && buf[i + 2] === LF) return i + 3;
  }
  return -1;
}

export function parseSseEvent(raw: Uint8Array): SseEvent {
  let event = 'message';
  const data: string[] = [];
  for (const line of decoder.decode(raw).split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'event') event = value;
    else if (name === 'data') data.push(value);
  }
  return { raw, event, data: data.join('\n') };
}

/** Splits a byte stream into events; a trailing event without its blank line is yielded at the end. */
export async function* sseEvents(chunks: AsyncIterable<Uint8Array>, maxEventBytes = 1 << 20): AsyncGenerator<SseEvent> {
  let buf = new Uint8Array(0);
  for await (const chunk of chunks) {
    const next = new Uint8Array(buf.length + chunk.length);
    next.set(buf);
    next.set(chunk, buf.length);
    buf = next;
    let start = 0;
    for (;;) {
      const end = eventEnd(buf, start);
      if (end < 0) break;
      yield parseSseEvent(buf.subarray(start, end));
      start = end;
    }
    buf = buf.slice(start);
    if (buf.length > maxEventBytes) throw new RangeError(`an SSE event exceeds ${maxEventBytes} bytes`);
  }
  if (buf.length > 0 && decoder.decode(buf).trim() !== '') yield parseSseEvent(buf);
}

/** One event's bytes: `event: <name>` (unless 'message') and one `data:` line per line of `data`. */
export function formatSseEvent(data: string, event = 'message'): string {
  const head = event === 'message' ? '' : `event: ${event}\n`;
  return `${head}${data
    .split('\n')
    .map((l) => `data: ${l}`)
    .join('\n')}\n\n`;
}
