// The load generator, run as a child process of bench/run.ts so that its HTTP work does not share an
// event loop with the app it measures (it still shares the machine's two cores; run.ts reports its
// CPU). It sends pre-signed txs with broadcast_tx_sync at a fixed offered rate, never more than
// `maxInFlight` requests at once, and reports when each was sent and what CheckTx answered.
//
// It stands for many wallets on other machines, so it should cost the two cores it shares with the
// node as little as it can: each request is one HTTP/1.1 POST of JSON-RPC on a kept-alive socket (as
// node:http would send it), but the request bytes are built before the phase and the answer is read
// by `HttpReader` below instead of node:http's client (~150 → ~75 µs of CPU a request; bench/README.md).
//
// Protocol (IPC, advanced serialization): the parent sends a LoadPhase; the child answers with a
// LoadReport when every request of the phase has been answered or has timed out.
import { type Socket, connect } from 'node:net';

export interface LoadPhase {
  readonly kind: 'phase';
  readonly id: number;
  readonly rpcUrl: string;
  /** Offered rate, txs per second. */
  readonly rate: number;
  readonly seconds: number;
  readonly maxInFlight: number;
  /** base64 TxRaw, in the order they are to be sent. */
  readonly txs: readonly string[];
}

/** Codes below zero are the client's: the tx was never answered by CheckTx. */
export const NOT_SENT = -1;
export const RPC_ERROR = -2;
export const TRANSPORT_ERROR = -3;

export interface LoadReport {
  readonly kind: 'report';
  readonly id: number;
  /** Epoch milliseconds (performance.timeOrigin + performance.now(), comparable across processes). */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly sentAt: Float64Array;
  readonly answeredAt: Float64Array;
  /** CheckTx code, or NOT_SENT / RPC_ERROR / TRANSPORT_ERROR. */
  readonly codes: Int32Array;
  /** Count of each distinct CheckTx rejection, RPC error or transport error (digits replaced by N). */
  readonly errors: Record<string, number>;
  readonly peakInFlight: number;
}

const REQUEST_TIMEOUT_MS = 30_000;

export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** One HTTP/1.1 POST of a broadcast_tx_sync request, whole. */
export function broadcastRequest(host: string, id: number, txBase64: string): Buffer {
  const body = `{"jsonrpc":"2.0","id":${id},"method":"broadcast_tx_sync","params":{"tx":"${txBase64}"}}`;
  return Buffer.from(`POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, 'latin1');
}

export interface HttpResponse {
  readonly status: number;
  readonly body: Buffer;
  /** The server said it closes the connection after this response. */
  readonly close: boolean;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16_384;

/**
 * Reads HTTP/1.1 responses off one socket's bytes, one at a time (no pipelining): a body framed by
 * Content-Length or by chunked transfer coding. Throws on anything else; the caller drops the socket.
 */
export class HttpReader {
  #buffer: Buffer = Buffer.alloc(0);

  /** Adds bytes; returns the response they complete, if any (bytes past it are kept). */
  push(chunk: Buffer): HttpResponse | undefined {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const headerEnd = this.#buffer.indexOf(HEADER_END);
    if (headerEnd < 0) {
      if (this.#buffer.length > MAX_HEADER_BYTES) throw new Error(`no end of HTTP headers in ${this.#buffer.length} bytes`);
      return undefined;
    }
    const head = this.#buffer.toString('latin1', 0, headerEnd);
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
    if (status === null) throw new Error(`not an HTTP/1.1 response: ${JSON.stringify(head.slice(0, 40))}`);
    const lower = head.toLowerCase();
    const close = /\r\nconnection: *close/.test(lower);
    const start = headerEnd + HEADER_END.length;
    const length = /\r\ncontent-length: *(\d+)/.exec(lower);
    let body: Buffer;
    let end: number;
    if (length !== null) {
      end = start + Number(length[1]);
      if (this.#buffer.length < end) return undefined;
      body = this.#buffer.subarray(start, end);
    } else if (/\r\ntransfer-encoding: *chunked/.test(lower)) {
      const chunks = this.#chunked(start);
      if (chunks === undefined) return undefined;
      [body, end] = chunks;
    } else {
      throw new Error('an HTTP response with neither Content-Length nor chunked coding');
    }
    this.#buffer = this.#buffer.subarray(end);
    return { status: Number(status[1]), body, close };
  }

  /** The body and the offset past it, once every chunk is here. */
  #chunked(start: number): [Buffer, number] | undefined {
    const parts: Buffer[] = [];
    let at = start;
    for (;;) {
      const lineEnd = this.#buffer.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(this.#buffer.toString('latin1', at, lineEnd), 16);
      if (!Number.isSafeInteger(size) || size < 0) throw new Error('a malformed chunk size');
      const dataEnd = lineEnd + 2 + size;
      if (this.#buffer.length < dataEnd + 2) return undefined;
      if (size === 0) {
        // No trailers are expected; the last chunk ends with an empty line.
        return [Buffer.concat(parts), dataEnd + 2];
      }
      parts.push(this.#buffer.subarray(lineEnd + 2, dataEnd));
      at = dataEnd + 2;
    }
  }
}

interface Connection {
  readonly socket: Socket;
  readonly reader: HttpReader;
  /** The tx whose request is out on this socket, or -1. */
  pending: number;
}

async function runPhase(p: LoadPhase): Promise<LoadReport> {
  const url = new URL(p.rpcUrl);
  const host = url.hostname;
  const port = Number(url.port);
  const n = p.txs.length;
  const requests = p.txs.map((tx, i) => broadcastRequest(url.host, i, tx));
  const sentAt = new Float64Array(n);
  const answeredAt = new Float64Array(n);
  const codes = new Int32Array(n).fill(NOT_SENT);
  const errors: Record<string, number> = {};
  const idle: Connection[] = [];
  const open = new Set<Connection>();
  let inFlight = 0;
  let peakInFlight = 0;
  let allAnswered: (() => void) | undefined;

  const settle = (i: number, code: number, message?: string): void => {
    if (answeredAt[i] !== 0) return;
    answeredAt[i] = epochMs();
    codes[i] = code;
    if (message !== undefined) errors[message] = (errors[message] ?? 0) + 1;
    inFlight--;
    if (inFlight === 0) allAnswered?.();
  };

  const drop = (c: Connection, message: string): void => {
    open.delete(c);
    const at = idle.indexOf(c);
    if (at >= 0) idle.splice(at, 1);
    c.socket.destroy();
    if (c.pending >= 0) settle(c.pending, TRANSPORT_ERROR, message);
    c.pending = -1;
  };

  const connection = (): Connection => {
    const socket = connect({ host, port, noDelay: true });
    const c: Connection = { socket, reader: new HttpReader(), pending: -1 };
    open.add(c);
    socket.on('data', (chunk: Buffer) => {
      let response: HttpResponse | undefined;
      try {
        response = c.reader.push(chunk);
      } catch (err) {
        drop(c, (err as Error).message);
        return;
      }
      if (response === undefined) return;
      const i = c.pending;
      c.pending = -1;
      if (i >= 0) settleFromBody(i, response);
      if (response.close) drop(c, 'the server closed the connection');
      else idle.push(c);
    });
    socket.on('error', (err) => drop(c, err.message));
    socket.on('close', () => drop(c, 'the connection closed before the answer'));
    return c;
  };

  const settleFromBody = (i: number, res: HttpResponse): void => {
    try {
      const reply = JSON.parse(res.body.toString('utf8')) as {
        result?: { code?: number; codespace?: string; log?: string };
        error?: { message?: string; data?: string };
      };
      const code = reply.result?.code ?? 0;
      if (reply.result !== undefined && code === 0) settle(i, 0);
      else if (reply.result !== undefined) settle(i, code, `CheckTx code ${code} (${reply.result.codespace ?? ''}): ${shorten(reply.result.log ?? '')}`);
      else settle(i, RPC_ERROR, shorten(reply.error?.data ?? reply.error?.message ?? 'unknown RPC error'));
    } catch {
      settle(i, TRANSPORT_ERROR, `HTTP ${res.status} with an unreadable body`);
    }
  };

  const send = (i: number): void => {
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    const c = idle.pop() ?? connection();
    c.pending = i;
    sentAt[i] = epochMs();
    c.socket.write(requests[i] as Buffer);
  };

  // One sweep a second instead of a timer per request.
  const timeouts = setInterval(() => {
    const now = epochMs();
    for (const c of open) {
      if (c.pending >= 0 && now - (sentAt[c.pending] as number) > REQUEST_TIMEOUT_MS) drop(c, `no answer within ${REQUEST_TIMEOUT_MS} ms`);
    }
  }, 1000);

  const startedAt = epochMs();
  const endAt = startedAt + p.seconds * 1000;
  const interval = 1000 / p.rate;
  let next = 0;
  for (;;) {
    const now = epochMs();
    if (now >= endAt || next >= n) break;
    // Everything due by now goes out, as far as the in-flight bound allows; the rest waits.
    while (next < n && startedAt + next * interval <= now && inFlight < p.maxInFlight) send(next++);
    const due = startedAt + next * interval;
    await sleep(Math.max(1, Math.min(5, due - epochMs())));
  }
  const endedAt = epochMs();
  if (inFlight > 0) await new Promise<void>((resolve) => (allAnswered = resolve));
  clearInterval(timeouts);
  for (const c of [...open]) drop(c, 'phase over');
  return { kind: 'report', id: p.id, startedAt, endedAt, sentAt, answeredAt, codes, errors, peakInFlight };
}

function shorten(message: string): string {
  // "mempool is full: number of txs 20000 (max: 20000), ..." → its stable part.
  return message.replace(/\d+/g, 'N').slice(0, 100);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

if (process.send !== undefined) {
  process.on('message', (m: LoadPhase) => {
    if (m.kind !== 'phase') return;
    void runPhase(m).then((report) => process.send?.(report));
  });
  // The parent going away ends the loader too.
  process.on('disconnect', () => process.exit(0));
}
