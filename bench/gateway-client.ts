// The load side of bench/gateway.ts, on its own thread: the zero-latency OpenAI-compatible upstream
// and the client, so that the gateway's thread does only the gateway's work and its busy time per
// request can be read apart. Driven by messages from the bench (GatewayClientRequest).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { startOpenAiUpstream } from '../node/gateway/demo-upstream.ts';
import { generateEd25519 } from '../sdk/ed25519.ts';
import { signRequest } from '../sdk/gateway/protocol.ts';

export interface GatewayClientData {
  readonly chainId: string;
  readonly operator: string;
  readonly payer: string;
  readonly model: string;
  readonly concurrency: number;
}

export type GatewayClientRequest =
  /** Sequential requests, alternating upstream and gateway so both see the same load: the times in ms. */
  | { readonly kind: 'latency'; readonly gatewayUrl: string; readonly n: number }
  /** `n` requests from `concurrency` clients to the gateway (or the upstream alone): requests/s. */
  | { readonly kind: 'rate'; readonly url: string | 'upstream'; readonly n: number; readonly signed: boolean };

const data = workerData as GatewayClientData;
const port = parentPort!;
const upstream = await startOpenAiUpstream();
const payerKey = generateEd25519().signer;
const body = new TextEncoder().encode(JSON.stringify({ model: data.model, messages: [{ role: 'user', content: 'one two three four five six seven eight' }], max_tokens: 16 }));
const signed = (): Record<string, string> => ({ ...signRequest(data.chainId, data.operator, data.payer, new Uint8Array(randomBytes(32)), BigInt(Math.floor(Date.now() / 1000)), body, payerKey), 'content-type': 'application/json' });
const plain = { 'content-type': 'application/json' };

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  return performance.now() - t;
}

port.on('message', (m: GatewayClientRequest) => {
  void (async () => {
    if (m.kind === 'latency') {
      const direct: number[] = [];
      const through: number[] = [];
      for (let i = 0; i < 200; i++) await timed(`${m.gatewayUrl}/v1/chat/completions`, signed()); // warm-up
      for (let i = 0; i < m.n; i++) {
        const h = signed();
        direct.push(await timed(`${upstream.url}/chat/completions`, plain));
        through.push(await timed(`${m.gatewayUrl}/v1/chat/completions`, h));
      }
      return { direct, through };
    }
    // Headers are signed before the clock starts.
    const url = m.url === 'upstream' ? `${upstream.url}/chat/completions` : `${m.url}/v1/chat/completions`;
    const headers = Array.from({ length: m.n }, () => (m.signed ? signed() : plain));
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: data.concurrency }, async () => {
        while (next < m.n) await timed(url, headers[next++]!);
      }),
    );
    return { perSecond: m.n / ((performance.now() - t0) / 1000) };
  })().then(
    (result) => port.postMessage({ ok: true, result }),
    (e: unknown) => port.postMessage({ ok: false, error: (e as Error).message }),
  );
});
port.postMessage({ ok: true, result: { upstreamUrl: upstream.url } });
