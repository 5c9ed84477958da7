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

  it('names an unreachable upstream and refuses a bad base URL', async () => {
    await expect(new UpstreamClient({ baseUrl: 'http://127.0.0.1:1/v1' }).post('/completions', new Uint8Array())).rejects.toThrow(UpstreamError);
    expect(() => new UpstreamClient({ baseUrl: 'localhost:8000' })).toThrow(/http/);
    expect(usageOf({ usage: { prompt_tokens: -1, completion_tokens: 2 } })).toBeUndefined();
  });
});
