// `cairn dev` (what `npm start` runs): a single-validator dev chain in one command, and a playground
// on it. The first run creates the home with the documented dev account funded, a `dev` key in the
// test keyring, the public dev verifier trusted (sdk/registry/dev-verifier.ts) and the dev chain's
// short windows (DEV_PARAMS); once the chain makes blocks it sets up the playground
// (localnet/playground.ts: an operator, a model and an adapter, a payer with escrow) by transactions,
// the same way `cairn localnet up --operators 1` does, and serves the web explorer beside its REST API. While it runs, it answers the capacity
// challenges of the playground's operator with the dev verifier, and serves paid inference: the demo
// upstream (node/gateway/demo-upstream.ts), the operator's `cairn operator serve` in front of it and
// the payer's `cairn payer serve`, run in this process, so an OpenAI client pointed at the payer
// gateway gets completions whose receipts are co-signed, batched and paid on this chain by themselves.
// Later runs continue the same chain.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_BALANCE, DEV_MNEMONIC, addGenesisAccount, defaultAppState, trustDevVerifier, withDevParams } from '../../node/genesis.ts';
import type { RunningNode } from '../../node/node.ts';
import { apiHostPort, readAppConfig } from '../../node/config.ts';
import { appHeight } from '../../node/cometbft/rpc.ts';
import {
  type Playground,
  answerCapacityChallenges,
  fundPlayground,
  planPlayground,
  playgroundFilesDir,
  playgroundRecordPath,
  playgroundStatus,
  readPlayground,
  setUpPlayground,
  writePlayground,
} from '../../localnet/playground.ts';
import { playgroundText } from './playground-view.ts';
import { devVerifierHex } from '../../sdk/registry/dev-verifier.ts';
import { Keyring } from '../../sdk/keyring/keyring.ts';
import { type OpenAiUpstream, startOpenAiUpstream } from '../../node/gateway/demo-upstream.ts';
import type { CommandContext, CommandModule, FlagValue } from '../context.ts';
import { stringFlag } from '../context.ts';
import { UsageError } from '../errors.ts';
import { defaultPorts, initNodeHome, setNodePorts } from './init.ts';
import { LOG_LEVEL_OPTION, serve } from './start.ts';
import { serve as operatorServe } from './operator.ts';
import { run as payerServe } from './payer-serve.ts';

export const DEV_CHAIN_ID = 'cairn-dev-1';
/** The dev account bonds 1,000,000 CAIRN to the dev node's validator (voting power 1,000,000). */
export const DEV_SELF_BOND = 1_000_000_000_000n;

/** The highest offset that keeps every port (the last is metrics, 26661) at or below 65535. */
const MAX_PORT_OFFSET = 65535 - defaultPorts().metrics;

function portOffset(ctx: CommandContext): number | undefined {
  const text = stringFlag(ctx, 'port-offset');
  if (text === undefined) return undefined;
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n <= MAX_PORT_OFFSET)) throw new UsageError(`--port-offset must be a whole number from 0 to ${MAX_PORT_OFFSET}, got "${text}"`);
  return n;
}

const command: CommandModule = {
  description: `Start a single-validator dev chain (chain id ${DEV_CHAIN_ID}) with a funded dev account; Ctrl-C stops it, the next run continues it.`,
  options: {
    'port-offset': {
      type: 'string',
      valueName: 'n',
      description: 'listen on the default ports plus n (RPC 26657+n, …), e.g. beside a running chain; kept in the home',
    },
    'log-level': LOG_LEVEL_OPTION,
  },
  examples: ['cairn dev --home .dev', 'npm start', 'cairn dev --home .dev2 --port-offset 100    # RPC on 26757'],
  async run(ctx: CommandContext) {
    const home = ctx.global.home;
    const offset = portOffset(ctx);
    const keyring = new Keyring({ dir: home, backend: 'test' });
    if (!existsSync(join(home, 'config', 'genesis.json'))) {
      ctx.note(`creating a dev chain in ${home}`);
      const key = (await keyring.has('dev')) ? await keyring.show('dev') : (await keyring.add('dev', { mnemonic: DEV_MNEMONIC })).key;
      const playground = await planPlayground({ keyringDir: home, filesDir: playgroundFilesDir(home), operators: 1, mnemonic: DEV_MNEMONIC });
      await writePlayground(playgroundRecordPath(home), playground);
      const funded = fundPlayground(addGenesisAccount(defaultAppState(), key.address, [{ denom: 'ucairn', amount: DEV_BALANCE }]), playground);
      const appState = withDevParams(trustDevVerifier(funded));
      await initNodeHome({
        home,
        chainId: DEV_CHAIN_ID,
        moniker: 'dev',
        overwriteGenesis: true,
        appState,
        validator: { operator: key.address, selfBond: DEV_SELF_BOND },
        ports: defaultPorts(offset ?? 0),
        // A dev chain serves the REST API to browsers and wallets, as localnets do (simd's app.toml has it off).
        appConfig: { apiEnabled: true, apiCors: true },
        note: (m) => ctx.note(m),
      });
    } else if (offset !== undefined) {
      await setNodePorts(home, defaultPorts(offset));
    }
    const dev = await keyring.show('dev');
    // The explorer beside the REST API it reads, one port up (1318, or 1318 + the offset).
    const api = apiHostPort((await readAppConfig(home)).apiAddress);
    await serve(ctx, {
      onStarted: (node) => runPlayground(ctx, node),
      withCometbft: true,
      config: { apiEnabled: true, explorerEnabled: true, explorerAddress: `${api.host}:${api.port + 1}` },
      portHint: 'or run `cairn dev --port-offset 100` to move all of this dev chain\'s ports up by 100',
      banner: [
        ['dev account', dev.address],
        ['dev key', `"dev" in ${home}/keyring-test (mnemonic in README.md)`],
        ['dev verifier', `${devVerifierHex()} (trusted here; its key is public: \`cairn verifier … --dev\` signs with it)`],
      ],
    });
  },
};

/** How often the dev chain looks for capacity challenges to answer (the window is 600 blocks). */
const CHALLENGE_POLL_MS = 10_000;

/** Sets up the playground on the first start, prints it, then answers capacity challenges until stopped. */
async function runPlayground(ctx: CommandContext, node: RunningNode): Promise<void> {
  const home = ctx.global.home;
  const path = playgroundRecordPath(home);
  const p = await readPlayground(path);
  const rpc = node.rpcUrl;
  if (p === undefined || rpc === undefined) return;
  let chainId: string;
  try {
    // The chain id is known from InitChain on, and CosmJS connects from height 1.
    await waitForBlock(rpc, ctx.signal);
    chainId = node.app.chainId;
    if (p.setUpAtHeight === undefined) {
      await setUpPlayground(p, { rpc, chainId, note: (m) => ctx.note(m) });
      await writePlayground(path, p);
    }
    ctx.note(`\n${playgroundText({ playground: p, ...(await playgroundStatus(p, rpc)) })}\n\nNext: README.md, "Try the receipts", signs, batches and submits receipts with these keys.`);
  } catch (err) {
    if (ctx.signal.aborted) return;
    ctx.warn(`the dev chain runs, but its playground could not be set up: ${(err as Error).message}. \`rm -rf ${home}\` starts over.`);
    return;
  }
  void answerLoop(ctx, p, rpc, chainId);
  await serveInference(ctx, node, p, rpc).catch((err: unknown) => {
    if (!ctx.signal.aborted) ctx.warn(`the dev chain runs, but its gateways do not: ${(err as Error).message}`);
  });
}

/** The dev chain's gateways listen here, moved by the chain's port offset like every other port. */
export function devGatewayPorts(offset: number): { upstream: number; operator: number; payer: number } {
  return { upstream: 8470 + offset, operator: 8480 + offset, payer: 8100 + offset };
}

/** How often the operator gateway batches its receipts here (a minute by default). */
const DEV_BATCH_AGE_SECONDS = '10';

/**
 * Runs the demo upstream, `cairn operator serve` for each playground operator and `cairn payer serve`
 * for the payer, in this process until the dev chain stops, then prints the payer gateway's base URL.
 */
async function serveInference(ctx: CommandContext, node: RunningNode, p: Playground, rpc: string): Promise<void> {
  const offset = Number(new URL(rpc).port) - defaultPorts().rpc;
  const ports = devGatewayPorts(offset);
  const keyring = new Keyring({ dir: p.keyringDir, backend: 'test' });
  // The same commands a user runs, with the flags they would give.
  const as = (command: string[], flags: Record<string, FlagValue>, data: string): CommandContext => ({
    ...ctx,
    command,
    args: [],
    flags: { ...flags, data: join(ctx.global.home, 'data', data) },
    global: { ...ctx.global, node: rpc, keyringBackend: 'test', keyringDir: p.keyringDir },
    keyring: () => Promise.resolve(keyring),
  });
  const failed = (what: string) => (err: unknown) => {
    if (!ctx.signal.aborted) ctx.warn(`${what} stopped: ${(err as Error).message}`);
  };
  let upstream: OpenAiUpstream;
  try {
    upstream = await startOpenAiUpstream({ port: ports.upstream });
  } catch (err) {
    throw new Error(`the demo upstream cannot listen on 127.0.0.1:${ports.upstream}: ${(err as Error).message}`, { cause: err });
  }
  ctx.signal.addEventListener('abort', () => void upstream.close(), { once: true });
  const peer = node.p2p?.host.addresses()[0];
  const endpoints = p.operators.map((o, i) => {
    const port = ports.operator + i;
    const flags = { upstream: upstream.url, key: o.key, 'receipt-key': o.receiptKeyFile, listen: `127.0.0.1:${port}`, 'batch-age': DEV_BATCH_AGE_SECONDS, peer: peer === undefined ? [] : [peer] };
    void operatorServe(as(['operator', 'serve'], flags, `operator-gateway-${o.key}`)).catch(failed(`${o.key}'s operator gateway`));
    return `${o.address}=http://127.0.0.1:${port}`;
  });
  const payer = `127.0.0.1:${ports.payer}`;
  void payerServe(as(['payer', 'serve'], { from: p.payer.key, 'payer-key': p.payer.payerKeyFile, listen: payer, endpoint: endpoints }, 'payer-gateway')).catch(failed('the payer gateway'));
  const base = `http://${payer}/v1`;
  await waitForOffer(`${base}/models`, p.model, ctx.signal);
  const body = JSON.stringify({ model: p.model, messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 8 });
  ctx.note(
    [
      '',
      `OpenAI base URL: ${base}`,
      `  paid inference: the payer gateway (${p.payer.key}'s escrow) → ${p.operators.map((o, i) => `${o.key}'s gateway on 127.0.0.1:${ports.operator + i}`).join(', ')} → the demo upstream ${upstream.url}`,
      `  any OpenAI SDK works with that base URL (the API key is not checked); the models: ${p.model}, ${p.model}@${p.adapter}`,
      `  curl -s ${base}/chat/completions -H 'content-type: application/json' -d '${body}'`,
      `  each completion's receipt is co-signed by the payer, batched by the operator within ${DEV_BATCH_AGE_SECONDS} s and paid on this chain about a minute later (\`cairn operator status --gateway http://127.0.0.1:${ports.operator}\` shows its batches and earnings)`,
    ].join('\n'),
  );
}

/** Waits until the payer gateway lists the model (it reads the offers from the chain). */
async function waitForOffer(url: string, model: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const listed: string[] = await fetch(url, { signal: AbortSignal.timeout(5_000) })
      .then(async (r) => ((await r.json()) as { data?: { id: string }[] }).data?.map((m) => m.id) ?? [])
      .catch((): string[] => []);
    if (listed.includes(model)) return;
    if (signal.aborted) return;
    if (Date.now() > deadline) throw new Error(`the payer gateway at ${url} did not list ${model} within 60 s`);
    await sleep(500, signal);
  }
}

async function answerLoop(ctx: CommandContext, p: Playground, rpc: string, chainId: string): Promise<void> {
  while (!ctx.signal.aborted) {
    await sleep(CHALLENGE_POLL_MS, ctx.signal);
    if (ctx.signal.aborted) return;
    try {
      const n = await answerCapacityChallenges(p, { rpc, chainId });
      if (n > 0) ctx.note(`answered ${n} capacity challenge(s) of the playground's operator with the dev verifier`);
    } catch (err) {
      if (!ctx.signal.aborted) ctx.warn(`could not answer a capacity challenge: ${(err as Error).message}`);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

async function waitForBlock(rpc: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await appHeight(rpc, { timeoutMs: 2_000 }).catch(() => 0)) < 1) {
    if (signal.aborted || Date.now() > deadline) throw new Error('the chain made no block within 60 s');
    await sleep(200, signal);
  }
}

export const { run, options, description, examples } = command;
