import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAiUpstream, startOpenAiUpstream } from './demo-upstream.ts';
import { formatSseEvent, sseEvents } from './sse.ts';
import { UpstreamClient, UpstreamError, readAll, usageOf } from './upstream.ts';

async function* chunksOf(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('SSE events', () => {
  it('splits a stream cut anywhere into whole events with their exact bytes', async () => {
    const text = `data: {"a":1}\n\nevent: cairn-receipt\ndata: abc\n\n: comment\ndata: x\r\ndata: y\r\n\r\ndata: [DONE]\n\n`;
    for (const size of [1, 3, 7, 1000]) {
      const events = [];
      for await (const e of sseEvents(chunksOf(text, size))) events.push(e);
      expect(events.map((e) => [e.event, e.data])).toEqual([
        ['message', '{"a":1}'],
        ['cairn-receipt', 'abc'],
        ['message', 'x\ny'],
        ['message', '[DONE]'],
      ]);
      expect(Buffer.concat(events.map((e) => e.raw)).toString()).toBe(text);
    }
    expect(formatSseEvent('abc', 'cairn-receipt')).toBe('event: cairn-receipt\ndata: abc\n\n');
  });
});

describe('the upstream client', () => {
  let upstream: OpenAiUpstream;
  beforeAll(async () => {
    upstream = await startOpenAiUpstream();
  });
  afterAll(async () => upstream.close());

  it('forwards bytes and reads usage from a body and from a stream', async () => {
    const client = new UpstreamClient({ baseUrl: `${upstream.url}/` });
    const body = new TextEncoder().encode(JSON.stringify({ model: 'm', prompt: 'a b c', max_tokens: 4 }));
    const plain = await client.post('/completions', body);
    expect(plain.status).toBe(200);
    expect(usageOf(JSON.parse(Buffer.from(await readAll(plain.body, 1 << 20)).toString()))).toEqual({ promptTokens: 3n, completionTokens: 4n });
    const streamed = await client.post('/completions', new TextEncoder().encode(JSON.stringify({ model: 'm', prompt: 'a', max_tokens: 2, stream: true, stream_options: { include_usage: true } })));
    const usages = [];
    for await (const e of sseEvents(streamed.body)) if (e.data !== '[DONE]') usages.push(usageOf(JSON.parse(e.data)));
    expect(usages.filter((u) => u !== undefined)).toEqual([{ promptTokens: 1n, completionTokens: 2n }]);
  });

  it('sends a request again when its connection is reset before any response, and gives up after two retries', async () => {
    // Each of the first `resets` requests has its connection reset (RST) or closed (FIN) once the
    // request arrived, as a server closing a kept-alive connection does.
    let resets = 0;
    let seen = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen++;
        if (seen <= resets) {
          if (seen % 2 === 1) req.socket.resetAndDestroy();
          else req.socket.destroy();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"usage":{"prompt_tokens":1,"completion_tokens":2}}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const client = new UpstreamClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` });
      const body = new TextEncoder().encode('{"model":"m","prompt":"a"}');
      resets = 2;
      const ok = await client.post('/completions', body);
      expect(ok.status).toBe(200);
      expect(usageOf(JSON.parse(Buffer.from(await readAll(ok.body, 1024)).toString()))).toEqual({ promptTokens: 1n, completionTokens: 2n });
      expect(seen).toBe(3);
      seen = 0;
      resets = 3;
      await expect(client.post('/completions', body)).rejects.toThrow(/ECONNRESET.*after 3 attempts/);
      expect(seen).toBe(3);
      seen = 0;
      resets = 1;
      await expect(new UpstreamClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, resetRetries: 0 }).post('/completions', body)).rejects.toThrow(UpstreamError);
      expect(seen).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('names an unreachable upstream and refuses a bad base URL', async () => {
    await expect(new UpstreamClient({ baseUrl: 'http://127.0.0.1:1/v1' }).post('/completions', new Uint8Array())).rejects.toThrow(UpstreamError);
    expect(() => new UpstreamClient({ baseUrl: 'localhost:8000' })).toThrow(/http/);
    expect(usageOf({ usage: { prompt_tokens: -1, completion_tokens: 2 } })).toBeUndefined();
  });
});
