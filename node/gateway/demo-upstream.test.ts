import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAiUpstream, startOpenAiUpstream } from './demo-upstream.ts';

describe('the demo OpenAI-compatible upstream', () => {
  let upstream: OpenAiUpstream;
  let client: OpenAI;
  beforeAll(async () => {
    upstream = await startOpenAiUpstream({ models: ['tiny-llama'] });
    client = new OpenAI({ baseURL: upstream.url, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => upstream.close());

  it('answers the openai client with usage counted from prompt words and max_tokens', async () => {
    const chat = await client.chat.completions.create({ model: 'tiny-llama', messages: [{ role: 'user', content: 'one two  three' }], max_tokens: 5 });
    expect(chat.choices[0]?.message.content).toBe('w0 w1 w2 w3 w4');
    expect(chat.usage).toEqual({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
    const completion = await client.completions.create({ model: 'tiny-llama', prompt: 'a b', max_tokens: 2 });
    expect(completion.choices[0]?.text).toBe('w0 w1');
    expect(completion.usage?.prompt_tokens).toBe(2);
    expect((await client.models.list()).data.map((m) => m.id)).toEqual(['tiny-llama']);
  });

  it('streams one chunk per token, then usage only when include_usage asks, then [DONE]', async () => {
    const chunks = [];
    for await (const c of await client.chat.completions.create({ model: 'tiny-llama', messages: [{ role: 'user', content: 'x y' }], max_tokens: 3, stream: true, stream_options: { include_usage: true } })) chunks.push(c);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('w0 w1 w2');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });

    const raw = await fetch(`${upstream.url}/completions`, { method: 'POST', body: JSON.stringify({ model: 'tiny-llama', prompt: 'x', max_tokens: 1, stream: true }) });
    const text = await raw.text();
    expect(text).not.toContain('usage');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('refuses an unknown model and fails on demand with OpenAI-shaped errors', async () => {
    await expect(client.completions.create({ model: 'other', prompt: 'x' })).rejects.toMatchObject({ status: 404 });
    upstream.fail = true;
    await expect(client.completions.create({ model: 'tiny-llama', prompt: 'x' })).rejects.toMatchObject({ status: 500 });
    upstream.fail = false;
  });
});
