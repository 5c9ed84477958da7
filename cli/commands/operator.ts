// `cairn operator serve` runs the operator gateway (node/gateway/operator) in front of an
// OpenAI-compatible inference server until stopped; `cairn operator status` reads a running
// gateway's status endpoint.
import { createLogger } from '../../node/log.ts';
import { connectChain } from '../../node/gateway/operator/connect.ts';
import { type GatewayStatus, OperatorGateway, STATUS_PATH } from '../../node/gateway/operator/gateway.ts';
import { UpstreamClient } from '../../node/gateway/upstream.ts';
import { type CommandContext, stringFlag } from '../context.ts';
import { DEFAULT_OPERATOR_LISTEN } from '../../node/gateway/config.ts';
import { gatewaySettings } from './gateway-settings.ts';
import { CliError, UsageError } from '../errors.ts';
import { fields, table } from '../output.ts';
import { readKey } from './receipts/files.ts';

export async function serve(ctx: CommandContext): Promise<void> {
  const s = await gatewaySettings(ctx, 'operator-gateway');
  const upstreamUrl = s.required('upstream', 'the OpenAI base URL of your inference server, e.g. http://127.0.0.1:8000/v1');
  const keyName = s.required('key', 'the operator account’s key name').value;
  const receiptSigner = await readKey(s.required('receipt-key', 'the receipt key seed file you registered').value);
  const { host, port } = s.hostPort('listen');
  const modelMap = new Map<string, string>();
  const maps = s.list('model-map');
  for (const m of maps.value) {
    const at = m.indexOf('=');
    if (at <= 0 || at === m.length - 1) throw new UsageError(`${maps.what} "${m}" must be <offer>=<upstream model>`);
    modelMap.set(m.slice(0, at), m.slice(at + 1));
  }
  const credit = s.coin('credit-limit', true);
  const gasPrice = s.gasPrice('gas-prices');
  let upstream: UpstreamClient;
  try {
    const apiKey = s.get('upstream-api-key')?.value;
    upstream = new UpstreamClient({ baseUrl: upstreamUrl.value, ...(apiKey === undefined ? {} : { apiKey }) });
  } catch (e) {
    throw new UsageError(`${upstreamUrl.what}: ${(e as Error).message}`, { cause: e });
  }
  const batchSize = s.int('batch-size', 1);
  const batchAgeMs = s.int('batch-age', 1) * 1000;
  const keyring = await ctx.keyring();
  const key = await keyring.show(keyName);
  const logger = createLogger({ name: 'operator-gateway' });
  const links = await connectChain({ rpcUrl: ctx.global.node, operator: key.address, signer: await keyring.signer(key.name), gasPrice, receiptSigner, peers: [...s.list('peer').value], logger }).catch((e: unknown) => {
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
    dataDir: s.required('data', 'the gateway’s LevelDB directory').value,
    chain: links.chain,
    submit: links.submit,
    publish: links.publish,
    logger,
    batchSize,
    batchAgeMs,
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
  const base = (stringFlag(ctx, 'gateway') ?? `http://${DEFAULT_OPERATOR_LISTEN}`).replace(/\/+$/, '');
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
