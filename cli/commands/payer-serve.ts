// `cairn payer serve`: runs the payer gateway (node/gateway/payer) until SIGINT/SIGTERM. Chain
// reads go to --node; the escrow top-up is signed with the payer's account key from the keyring
// and sent like any `cairn tx` (cli/tx.ts).
import { TrustLevel } from '../../proto/gen/cairn/registry/v1/types.ts';
import { queryClientAbci } from '../../sdk/queries.ts';
import { receiptsMsgs } from '../../sdk/receipts/messages.ts';
import { BASE_DENOM } from '../../sdk/chain.ts';
import { createLogger } from '../../node/log.ts';
import { queryPayerChain } from '../../node/gateway/payer/chain.ts';
import { PayerGateway, type Selection } from '../../node/gateway/payer/gateway.ts';
import type { EscrowTopUp } from '../../node/gateway/payer/settlement.ts';
import type { SetAsidePolicy } from '../../node/gateway/payer/set-aside.ts';
import { coinToChain } from '../amount.ts';
import type { CommandContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { checkAddress, connectNode, resolveChainId } from '../node-client.ts';
import { broadcastOptionsFromFlags, feeChoiceFromFlags, signAndBroadcast } from '../tx.ts';
import { readKey } from './receipts/files.ts';
import { gatewaySettings } from './gateway-settings.ts';

const TRUST: Record<string, TrustLevel> = {
  none: TrustLevel.TRUST_LEVEL_NONE,
  'self-declared': TrustLevel.TRUST_LEVEL_SELF_DECLARED,
  'verified-tee': TrustLevel.TRUST_LEVEL_VERIFIED_TEE,
};

export async function run(ctx: CommandContext): Promise<void> {
  const s = await gatewaySettings(ctx, 'payer-gateway');
  const keyFile = s.required('payer-key', 'the ed25519 seed of a key the payer authorised (cairn receipts keygen, cairn tx registry authorize-payer-key)').value;
  const from = s.required('from', 'the payer account (a keyring key name or address)');
  const payerKey = await readKey(keyFile);
  const keyring = await ctx.keyring();
  const payerAccount = /^cairn1/.test(from.value) ? { address: checkAddress(from.value, from.what), name: undefined } : await keyring.show(from.value);

  const listen = s.hostPort('listen');
  const price = s.coin('max-price');
  const trust = s.get('min-trust');
  if (trust !== undefined && TRUST[trust.value] === undefined) throw new UsageError(`${trust.what} must be one of ${Object.keys(TRUST).join(', ')}, got "${trust.value}"`);
  const minReputation = s.int('min-reputation', 0);
  const selection: Selection = {
    denom: price?.denom ?? BASE_DENOM,
    ...(price === undefined ? {} : { maxPricePerUnit: price.amount }),
    ...(trust === undefined ? {} : { minTrust: TRUST[trust.value]! }),
    regions: s.list('region').value,
    ...(minReputation === 0 ? {} : { minReputation: BigInt(minReputation) }),
  };
  const endpoints = new Map<string, string>();
  const given = s.list('endpoint');
  for (const e of given.value) {
    const at = e.indexOf('=');
    if (at < 0) throw new UsageError(`${given.what} takes <operator>=<url>, got "${e}"`);
    const url = e.slice(at + 1);
    if (!/^https?:\/\//.test(url)) throw new UsageError(`${given.what} ${e}: the URL must start with http:// or https://`);
    endpoints.set(checkAddress(e.slice(0, at), `${given.what} operator`), url);
  }
  const setAside: SetAsidePolicy = { firstMs: s.int('set-aside', 0) * 1000, maxMs: s.int('set-aside-max', 0) * 1000, dishonestMs: s.int('set-aside-dishonest', 0) * 1000 };
  if (setAside.maxMs < setAside.firstMs) throw new UsageError(`${s.get('set-aside-max')!.what} (${setAside.maxMs / 1000}) must be at least ${s.get('set-aside')!.what} (${setAside.firstMs / 1000})`);
  const attempts = s.int('attempts', 1);
  const dataDir = s.required('data', 'the gateway’s LevelDB directory').value;

  const connection = await connectNode(ctx.global.node);
  try {
    const chainId = await resolveChainId(connection, ctx.global.chainId);
    let escrow: EscrowTopUp | undefined;
    const threshold = s.coin('top-up-below');
    const amount = s.coin('top-up');
    if ((threshold === undefined) !== (amount === undefined)) throw new UsageError('--top-up-below and --top-up (top-up-below and top-up in app.toml [payer-gateway]) go together');
    if (threshold !== undefined && amount !== undefined) {
      if (payerAccount.name === undefined) throw new UsageError(`an escrow top-up signs with the payer account: give ${from.what} a keyring key name, not an address`);
      if (threshold.denom !== selection.denom || amount.denom !== selection.denom) throw new UsageError(`the top-up threshold and amount must be in ${selection.denom}`);
      const signer = await keyring.signer(payerAccount.name);
      // The fee flags as for any transaction; with none, the gas price of app.toml's gas-prices.
      const fee = feeChoiceFromFlags(ctx.flags['fees'] === undefined && ctx.flags['gas-prices'] === undefined ? { flags: { ...ctx.flags, 'gas-prices': s.gasPrice('gas-prices') } } : ctx);
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
      dataDir,
      chain: queryPayerChain(queryClientAbci(connection.query)),
      selection,
      endpoints,
      maxAttempts: attempts,
      setAside,
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
