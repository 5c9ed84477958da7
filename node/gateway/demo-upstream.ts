// A demo OpenAI-compatible inference server on 127.0.0.1, deterministic, for the gateways' tests
// and benches and the dev chain's gateways (`cairn dev`): what vLLM, llama.cpp's server and Ollama
// answer on /v1/chat/completions, /v1/completions (plain and SSE streaming) and /v1/models, without
// a model.
// - Tokens are whitespace-separated words: prompt_tokens counts the prompt's words (every chat
//   message's content), completion_tokens is `max_tokens` (or `max_completion_tokens`, default
//   DEFAULT_MAX_TOKENS), and the completion is that many words, `w0 w1 …`.
// - A stream sends a role chunk (chat), one chunk per token, a chunk with finish_reason "length",
//   then, when `stream_options.include_usage` is true, a chunk with `choices: []` and the usage
//   (as vLLM and llama.cpp do), and `data: [DONE]`.
// - `latencyMs` delays the first byte; `tokenDelayMs` spaces the stream's token chunks.
// - `fail` makes every completion answer 500 (a broken upstream); `usage: 'never'` makes it omit
//   usage everywhere (an upstream that ignores include_usage).
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';

export const DEFAULT_MAX_TOKENS = 16;

export interface UpstreamOptions {
  /** The models /v1/models lists and completions accept; any model when empty. */
  readonly models?: readonly string[];
  readonly latencyMs?: number;
  readonly tokenDelayMs?: number;
  /** The port on 127.0.0.1; default: a free one. */
  readonly port?: number;
}

export interface ReceivedRequest {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

export interface OpenAiUpstream {
  /** http://127.0.0.1:<port>/v1, the base URL an OpenAI client is given. */
  readonly url: string;
  readonly port: number;
  /** Every completion request answered, in order (its parsed body). */
  readonly received: ReceivedRequest[];
  /** Set to answer every completion with a 500. */
  fail: boolean;
  /** 'when-asked' (the default, like vLLM) or 'never'. */
  usage: 'when-asked' | 'never';
  latencyMs: number;
  close(): Promise<void>;
}

/** The usage a request's body implies: prompt words and max_tokens. */
export function expectedUsage(path: '/v1/chat/completions' | '/v1/completions', body: Record<string, unknown>): { promptTokens: number; completionTokens: number } {
  return { promptTokens: words(promptText(path, body)), completionTokens: maxTokens(body) };
}

function words(text: string): number {
  return text.split(/\s+/).filter((w) => w !== '').length;
}

function promptText(path: string, body: Record<string, unknown>): string {
  if (path === '/v1/chat/completions') {
    const messages = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
    return messages
      .map((m) => {
        const content = (m as { content?: unknown } | null)?.content;
        if (typeof content === 'string') return content;
        if (Array.isArray(content)) return content.map((p) => ((p as { text?: unknown } | null)?.text as string | undefined) ?? '').join(' ');
        return '';
      })
      .join(' ');
  }
  const prompt = body.prompt;
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt)) return prompt.filter((p) => typeof p === 'string').join(' ');
  return '';
}

function maxTokens(body: Record<string, unknown>): number {
  const n = body.max_tokens ?? body.max_completion_tokens;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : DEFAULT_MAX_TOKENS;
}

function sendError(res: ServerResponse, status: number, message: string, type: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type, code: status } }));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startOpenAiUpstream(options: UpstreamOptions = {}): Promise<OpenAiUpstream> {
  const models = options.models ?? [];
  let sequence = 0;
  const upstream: OpenAiUpstream = {
    url: '',
    port: 0,
    received: [],
    fail: false,
    usage: 'when-asked',
    latencyMs: options.latencyMs ?? 0,
    close: async () => {},
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test-upstream' })) }));
      return;
    }
    if (req.method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/v1/completions')) {
      sendError(res, 404, `no route ${req.method ?? ''} ${path ?? ''}`, 'not_found_error');
      return;
    }
    const raw = await readBody(req);
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      sendError(res, 400, 'the body is not a JSON object', 'invalid_request_error');
      return;
    }
    const model = body.model;
    if (typeof model !== 'string' || (models.length > 0 && !models.includes(model))) {
      sendError(res, 404, `The model \`${String(model)}\` does not exist.`, 'NotFoundError');
      return;
    }
    upstream.received.push({ path, body });
    if (upstream.latencyMs > 0) await sleep(upstream.latencyMs);
    if (upstream.fail) {
      sendError(res, 500, 'the test upstream was told to fail', 'internal_server_error');
      return;
    }
    const chat = path === '/v1/chat/completions';
    const { promptTokens, completionTokens } = expectedUsage(path, body);
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    const tokens = Array.from({ length: completionTokens }, (_, i) => (i === 0 ? `w${i}` : ` w${i}`));
    const id = `${chat ? 'chatcmpl' : 'cmpl'}-${++sequence}`;
    const created = Math.floor(Date.now() / 1000);
    const head = { id, object: chat ? 'chat.completion.chunk' : 'text_completion', created, model };
    const withUsage = upstream.usage !== 'never';

    if (body.stream !== true) {
      const text = tokens.join('');
      const choice = chat
        ? { index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: 'length' }
        : { index: 0, text, logprobs: null, finish_reason: 'length' };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...head, object: chat ? 'chat.completion' : 'text_completion', choices: [choice], ...(withUsage ? { usage } : {}) }));
      return;
    }
    const includeUsage = withUsage && (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (data: unknown): void => {
      res.write(`data: ${JSON.stringify(data)}\n\n`);
    };
    const choice = (text: string, finish: string | null): Record<string, unknown> =>
      chat ? { index: 0, delta: text === '' && finish === null ? { role: 'assistant', content: '' } : { content: text }, logprobs: null, finish_reason: finish } : { index: 0, text, logprobs: null, finish_reason: finish };
    if (chat) send({ ...head, choices: [choice('', null)] });
    for (const token of tokens) {
      if (options.tokenDelayMs !== undefined && options.tokenDelayMs > 0) await sleep(options.tokenDelayMs);
      send({ ...head, choices: [choice(token, null)] });
    }
    send({ ...head, choices: [choice('', 'length')] });
    if (includeUsage) send({ ...head, choices: [], usage });
    res.end('data: [DONE]\n\n');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, (err as Error).message, 'internal_server_error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => (server.off('error', reject), resolve()));
  });
  const { port } = server.address() as { port: number };
  Object.assign(upstream, {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  return upstream;
}
