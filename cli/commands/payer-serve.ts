// `cairn payer serve`: runs the payer gateway (node/gateway/payer) until SIGINT/SIGTERM. Chain
// reads go to --node; the escrow top-up is signed with the payer's account key from the keyring
// and sent like any `cairn tx` (cli/tx.ts).
import { join } from 'node:path';
import { TrustLevel } from '../../proto/gen/cairn/registry/v1/types.ts';
import { queryClientAbci } from '../../sdk/queries.ts';
import { receiptsMsgs } from '../../sdk/receipts/messages.ts';
import { BASE_DENOM } from '../../sdk/chain.ts';
import { createLogger } from '../../node/log.ts';
import { parseHostPort } from '../../node/config.ts';
import { queryPayerChain } from '../../node/gateway/payer/chain.ts';
import { type EscrowTopUp, PayerGateway, type Selection } from '../../node/gateway/payer/gateway.ts';
import { coinToChain, parseCoin } from '../amount.ts';
import { type CommandContext, stringFlag } from '../context.ts';
import { UsageError } from '../errors.ts';
import { checkAddress, connectNode, resolveChainId } from '../node-client.ts';
import { broadcastOptionsFromFlags, feeChoiceFromFlags, signAndBroadcast } from '../tx.ts';
import { readKey } from './receipts/files.ts';

export const DEFAULT_PAYER_LISTEN = '127.0.0.1:8100';

const TRUST: Record<string, TrustLevel> = {
  none: TrustLevel.TRUST_LEVEL_NONE,
  'self-declared': TrustLevel.TRUST_LEVEL_SELF_DECLARED,
  'verified-tee': TrustLevel.TRUST_LEVEL_VERIFIED_TEE,
};

function list(ctx: CommandContext, name: string): string[] {
  const v = ctx.flags[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

function positiveInt(text: string | undefined, what: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]{1,9}$/.test(text)) throw new UsageError(`${what} must be a whole number, got "${text}"`);
  return Number(text);
}

export async function run(ctx: CommandContext): Promise<void> {
  const keyFile = stringFlag(ctx, 'payer-key');
  const from = stringFlag(ctx, 'from');
  if (keyFile === undefined) throw new UsageError('--payer-key <file> is required: the ed25519 seed of a key the payer authorised (cairn receipts keygen, cairn tx registry authorize-payer-key)');
  if (from === undefined) throw new UsageError('--from <key> is required: the payer account (a keyring key name or address)');
  const payerKey = await readKey(keyFile);
  const keyring = await ctx.keyring();
  const payerAccount = /^cairn1/.test(from) ? { address: checkAddress(from, '--from'), name: undefined } : await keyring.show(from);

  const listen = parseHostPort(stringFlag(ctx, 'listen') ?? DEFAULT_PAYER_LISTEN, '--listen');
  const maxPrice = stringFlag(ctx, 'max-price');
  const price = maxPrice === undefined ? undefined : parseCoin(maxPrice, { what: '--max-price' });
  const trust = stringFlag(ctx, 'min-trust');
  if (trust !== undefined && TRUST[trust] === undefined) throw new UsageError(`--min-trust must be one of ${Object.keys(TRUST).join(', ')}`);
  const reputation = stringFlag(ctx, 'min-reputation');
  const selection: Selection = {
    denom: price?.denom ?? BASE_DENOM,
    ...(price === undefined ? {} : { maxPricePerUnit: price.amount }),
    ...(trust === undefined ? {} : { minTrust: TRUST[trust]! }),
    regions: list(ctx, 'region'),
    ...(reputation === undefined ? {} : { minReputation: BigInt(positiveInt(reputation, '--min-reputation', 0)) }),
  };
  const endpoints = new Map<string, string>();
  for (const e of list(ctx, 'endpoint')) {
    const at = e.indexOf('=');
    if (at < 0) throw new UsageError(`--endpoint takes <operator>=<url>, got "${e}"`);
    const url = e.slice(at + 1);
    if (!/^https?:\/\//.test(url)) throw new UsageError(`--endpoint ${e}: the URL must start with http:// or https://`);
    endpoints.set(checkAddress(e.slice(0, at), '--endpoint operator'), url);
  }

  const connection = await connectNode(ctx.global.node);
  try {
    const chainId = await resolveChainId(connection, ctx.global.chainId);
    let escrow: EscrowTopUp | undefined;
    const below = stringFlag(ctx, 'top-up-below');
    const amountText = stringFlag(ctx, 'top-up');
    if ((below === undefined) !== (amountText === undefined)) throw new UsageError('--top-up-below and --top-up go together');
    if (below !== undefined && amountText !== undefined) {
      if (payerAccount.name === undefined) throw new UsageError('an escrow top-up signs with the payer account: give --from a keyring key name, not an address');
      const threshold = parseCoin(below, { what: '--top-up-below' });
      const amount = parseCoin(amountText, { what: '--top-up' });
      if (threshold.denom !== selection.denom || amount.denom !== selection.denom) throw new UsageError(`--top-up-below and --top-up must be in ${selection.denom}`);
      const signer = await keyring.signer(payerAccount.name);
      const fee = feeChoiceFromFlags(ctx);
      const broadcast = broadcastOptionsFromFlags(ctx);
      escrow = {
        threshold: threshold.amount,
        amount: amount.amount,
        deposit: async (n) => {
          const r = await signAndBroadcast(connection, signer, payerAccount.address, [receiptsMsgs.MsgDepositEscrow({ payer: payerAccount.address, amount: coinToChain({ denom: amount.denom, amount: n }) })], fee, broadcast);
          if (r.code !== 0) throw new Error(`deposit ${r.txhash} failed: ${r.codespace}/${r.code} ${r.log}`);
        },
      };
    }
    const gateway = new PayerGateway({
      host: listen.host,
      port: listen.port,
      chainId,
      payer: payerAccount.address,
      payerKey,
      dataDir: stringFlag(ctx, 'data') ?? join(ctx.global.home, 'data', 'payer-gateway'),
      chain: queryPayerChain(queryClientAbci(connection.query)),
      selection,
      endpoints,
      maxAttempts: positiveInt(stringFlag(ctx, 'attempts'), '--attempts', 3),
      banMs: positiveInt(stringFlag(ctx, 'ban-seconds'), '--ban-seconds', 60) * 1000,
      ...(escrow === undefined ? {} : { escrow }),
      logger: createLogger({ name: 'payer-gateway' }),
    });
    await gateway.start();
    ctx.note(`payer gateway for ${payerAccount.address} on ${chainId}: point an OpenAI client at ${gateway.url}`);
    await new Promise<void>((resolve) => (ctx.signal.aborted ? resolve() : ctx.signal.addEventListener('abort', () => resolve(), { once: true })));
    await gateway.stop();
  } finally {
    connection.disconnect();
  }
}
