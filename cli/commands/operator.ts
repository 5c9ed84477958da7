// `cairn operator serve` runs the operator gateway (node/gateway/operator) in front of an
// OpenAI-compatible inference server until stopped; `cairn operator status` reads a running
// gateway's status endpoint.
import { join } from 'node:path';
import { createLogger } from '../../node/log.ts';
import { connectChain } from '../../node/gateway/operator/connect.ts';
import { type GatewayStatus, OperatorGateway, STATUS_PATH } from '../../node/gateway/operator/gateway.ts';
import { UpstreamClient } from '../../node/gateway/upstream.ts';
import { parseCoin, parseGasPrice } from '../amount.ts';
import { type CommandContext, stringFlag } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { fields, table } from '../output.ts';
import { readKey } from './receipts/files.ts';

/** Also written in the command table's help (cli/commands/table.ts). */
export const DEFAULT_LISTEN = '127.0.0.1:8480';


function list(ctx: CommandContext, name: string): string[] {
  const v = ctx.flags[name];
  return (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).filter((x): x is string => typeof x === 'string');
}

function required(ctx: CommandContext, name: string, hint: string): string {
  const v = stringFlag(ctx, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required: ${hint}`);
  return v;
}

function positiveInt(text: string | undefined, what: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[1-9][0-9]{0,8}$/.test(text)) throw new UsageError(`${what} "${text}" must be a positive whole number`);
  return Number(text);
}

export function parseListen(text: string): { host: string; port: number } {
  const m = /^(.+):([0-9]{1,5})$/.exec(text);
  if (m === null || Number(m[2]) > 65535) throw new UsageError(`--listen "${text}" must be host:port, e.g. ${DEFAULT_LISTEN}`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

export async function serve(ctx: CommandContext): Promise<void> {
  const upstreamUrl = required(ctx, 'upstream', 'the OpenAI base URL of your inference server, e.g. http://127.0.0.1:8000/v1');
  const keyName = required(ctx, 'key', 'the operator account’s key name');
  const receiptSigner = await readKey(required(ctx, 'receipt-key', 'the receipt key seed file you registered'));
  const { host, port } = parseListen(stringFlag(ctx, 'listen') ?? DEFAULT_LISTEN);
  const modelMap = new Map<string, string>();
  for (const m of list(ctx, 'model-map')) {
    const at = m.indexOf('=');
    if (at <= 0 || at === m.length - 1) throw new UsageError(`--model-map "${m}" must be <offer>=<upstream model>`);
    modelMap.set(m.slice(0, at), m.slice(at + 1));
  }
  const credit = parseCoin(stringFlag(ctx, 'credit-limit') ?? '10000000ucairn', { what: '--credit-limit' });
  const gasPrice = parseGasPrice(stringFlag(ctx, 'gas-prices') ?? '0.025ucairn');
  let upstream: UpstreamClient;
  try {
    const apiKey = stringFlag(ctx, 'upstream-api-key');
    upstream = new UpstreamClient({ baseUrl: upstreamUrl, ...(apiKey === undefined ? {} : { apiKey }) });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const keyring = await ctx.keyring();
  const key = await keyring.show(keyName);
  const logger = createLogger({ name: 'operator-gateway' });
  const links = await connectChain({ rpcUrl: ctx.global.node, operator: key.address, signer: await keyring.signer(key.name), gasPrice, receiptSigner, peers: list(ctx, 'peer'), logger }).catch((e: unknown) => {
    throw new CliError(`cannot reach the node at ${ctx.global.node}: ${(e as Error).message}`);
  });
  const gateway = new OperatorGateway({
    chainId: links.chainId,
    operator: key.address,
    receiptSigner,
    upstream,
    modelMap,
    creditLimit: credit.amount,
    host,
    port,
    dataDir: stringFlag(ctx, 'data') ?? join(ctx.global.home, 'data', 'operator-gateway'),
    chain: links.chain,
    submit: links.submit,
    publish: links.publish,
    logger,
    batchSize: positiveInt(stringFlag(ctx, 'batch-size'), '--batch-size', 1000),
    batchAgeMs: positiveInt(stringFlag(ctx, 'batch-age'), '--batch-age', 60) * 1000,
  });
  try {
    await gateway.start();
    ctx.note(`operator gateway for ${key.address} on ${links.chainId}: ${gateway.url}/v1 → ${upstream.baseUrl}`);
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
  } finally {
    await gateway.stop();
    links.close();
  }
}


export async function status(ctx: CommandContext): Promise<void> {
  const base = (stringFlag(ctx, 'gateway') ?? `http://${DEFAULT_LISTEN}`).replace(/\/+$/, '');
  let s: GatewayStatus;
  try {
    const res = await fetch(`${base}${STATUS_PATH}`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    s = (await res.json()) as GatewayStatus;
  } catch (e) {
    throw new CliError(`no operator gateway answers at ${base}: ${(e as Error).message} (is \`cairn operator serve\` running? --gateway <url>)`);
  }
  ctx.print({
    json: s,
    text: () =>
      [
        fields([
          ['operator', s.operator],
          ['chain', s.chainId],
          ['batches', Object.entries(s.batches).map(([k, v]) => `${k} ${v}`).join(', ')],
          ['earnings', s.earnings],
          ['open requests', String(s.openRequests)],
        ]),
        s.pending.length === 0 ? 'pending batches: none' : table(['ROOT', 'STATE', 'BATCH', 'PAYER', 'MODEL', 'EPOCH', 'COUNT', 'AMOUNT', 'REQUESTS'], s.pending.map((p) => [p.root.slice(0, 16), p.state, p.batchId ?? '-', p.payer, p.model, p.epoch, p.count, p.amount, String(p.openRequests)])),
        s.credit.length === 0 ? 'credit used: none' : table(['PAYER', 'OWED', 'LIMIT'], s.credit.map((c) => [c.payer, c.owed, c.limit])),
      ].join('\n'),
  });
}
