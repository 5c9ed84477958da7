// The load generator, run as a child process of bench/run.ts so that its HTTP work does not share an
// event loop with the app it measures (it still shares the machine's two cores; run.ts reports its
// CPU). It sends pre-signed txs with broadcast_tx_sync at a fixed offered rate, never more than
// `maxInFlight` requests at once, and reports when each was sent and what CheckTx answered.
//
// Protocol (IPC, advanced serialization): the parent sends a LoadPhase; the child answers with a
// LoadReport when every request of the phase has been answered or has timed out.
import { Agent, request } from 'node:http';

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

async function runPhase(p: LoadPhase): Promise<LoadReport> {
  const url = new URL(p.rpcUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: p.maxInFlight });
  const n = p.txs.length;
  const bodies = p.txs.map((tx, i) => `{"jsonrpc":"2.0","id":${i},"method":"broadcast_tx_sync","params":{"tx":"${tx}"}}`);
  const sentAt = new Float64Array(n);
  const answeredAt = new Float64Array(n);
  const codes = new Int32Array(n).fill(NOT_SENT);
  const errors: Record<string, number> = {};
  const countError = (message: string): void => {
    errors[message] = (errors[message] ?? 0) + 1;
  };
  let inFlight = 0;
  let peakInFlight = 0;
  let allAnswered: (() => void) | undefined;

  const send = (i: number): void => {
    const body = bodies[i] as string;
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    sentAt[i] = epochMs();
    let settled = false;
    const settle = (code: number, message?: string): void => {
      if (settled) return;
      settled = true;
      answeredAt[i] = epochMs();
      codes[i] = code;
      if (message !== undefined) countError(message);
      inFlight--;
      if (inFlight === 0) allAnswered?.();
    };
    const req = request(
      { host: url.hostname, port: url.port, path: '/', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
              result?: { code?: number; codespace?: string; log?: string };
              error?: { message?: string; data?: string };
            };
            const code = reply.result?.code ?? 0;
            if (reply.result !== undefined && code === 0) settle(0);
            else if (reply.result !== undefined) settle(code, `CheckTx code ${code} (${reply.result.codespace ?? ''}): ${shorten(reply.result.log ?? '')}`);
            else settle(RPC_ERROR, shorten(reply.error?.data ?? reply.error?.message ?? 'unknown RPC error'));
          } catch {
            settle(TRANSPORT_ERROR, `HTTP ${res.statusCode ?? '?'} with an unreadable body`);
          }
        });
        res.on('error', (err) => settle(TRANSPORT_ERROR, err.message));
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (err) => settle(TRANSPORT_ERROR, err.message));
    req.end(body);
  };

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
  agent.destroy();
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
