// `npm start` as a newcomer meets it: a fresh home, real CometBFT, `cairn dev` through the `./cairn`
// launcher on the machine's Node. Blocks come, a send from the dev key lands, a chat completion from
// the openai client through the printed base URL is paid for with a co-signed receipt, Ctrl-C
// (SIGINT) stops the launcher, the node and CometBFT, and the next start continues the same chain.
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import OpenAI from 'openai';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { devGatewayPorts } from '../cli/commands/dev.ts';
import { defaultPorts, initNodeHome, setNodePorts } from '../cli/commands/init.ts';
import { runCli } from '../cli/main.ts';
import { readConfigValue } from '../node/cometbft/config.ts';
import { appHeight, status } from '../node/cometbft/rpc.ts';
import { readAppConfig } from '../node/config.ts';
import { memoryIo } from './support/cli-io.ts';
import { REPO, cairn, childPids, devWorkdir, freePortOffset, isRunning, removeWorkdir, startDevChain, ucairnBalance, until, type DevChain } from './support/dev-chain.ts';
import { testDir } from './support/test-dirs.ts';

const DEV_ADDRESS = 'cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9';

/**
 * Stops the chain with SIGINT: to the whole process group as Ctrl-C does (the node and CometBFT get
 * it directly and again through the launcher), or to the launcher alone as `kill -INT <pid>` does.
 * Returns the exit and the pids that were running.
 */
async function interrupt(chain: DevChain, how: 'ctrl-c' | 'kill -INT'): Promise<{ exit: number | string; pids: number[] }> {
  const [node] = await childPids(chain.pid);
  expect(node, 'the launcher runs the node as its child').toBeDefined();
  const [cometbft] = await childPids(node!);
  expect(cometbft, 'the node runs CometBFT as its child').toBeDefined();
  const pids = [chain.pid, node!, cometbft!];
  if (how === 'ctrl-c') chain.ctrlC();
  else chain.process.kill('SIGINT');
  const exit = await Promise.race([chain.exited, new Promise<string>((r) => setTimeout(() => r('still running after 60 s'), 60_000))]);
  return { exit, pids };
}

describe('the dev chain (npm start)', () => {
  const dirs: string[] = [];
  const chains: DevChain[] = [];
  afterAll(async () => {
    for (const c of chains) c.kill();
    for (const d of dirs) await removeWorkdir(d);
  });

  it('npm start runs `cairn dev --home .dev` through the launcher, which this test runs', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.scripts['start']).toBe('node scripts/setup.ts && ./cairn dev --home .dev');
    expect(pkg.bin['cairn']).toBe('cli/launcher.cjs');
  });

  it('makes blocks, lands a send from the dev key, stops both processes on SIGINT and resumes where it stopped', { timeout: 600_000 }, async () => {
    const dir = await devWorkdir();
    dirs.push(dir);
    const offset = await freePortOffset();
    const first = await startDevChain(dir, { offset, minHeight: 2 });
    chains.push(first);
    expect(first.rpcUrl).toBe(`http://127.0.0.1:${26657 + offset}`);
    expect(first.output()).toMatch(new RegExp(`^dev account:\\s+${DEV_ADDRESS}$`, 'm'));
    // The explorer beside the REST API, one port up, serving its page.
    const explorer = `http://127.0.0.1:${1318 + offset}/`;
    expect(first.output()).toMatch(new RegExp(`^explorer:\\s+${explorer}$`, 'm'));
    const page = await fetch(explorer);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Cairn explorer</title>');

    const bob = toBech32('cairn', randomBytes(20));
    const devBefore = await ucairnBalance(first.rpcUrl, DEV_ADDRESS);
    const send = await cairn(dir, first.rpcUrl, ['tx', 'bank', 'send', 'dev', bob, '1234567ucairn', '--home', '.dev', '--keyring-backend', 'test', '--gas', 'auto', '--gas-prices', '0.025ucairn']);
    expect(send.stdout).toMatch(/^code:\s+0\b/m);
    expect(await ucairnBalance(first.rpcUrl, bob)).toBe(1_234_567n);
    expect(await ucairnBalance(first.rpcUrl, DEV_ADDRESS)).toBeLessThan(devBefore - 1_234_567n); // the amount and a fee

    // Paid inference: the printed base URL (the payer gateway, on its port moved by the offset) answers
    // the openai client, and the payer gateway co-signed the operator's receipt for it.
    const baseURL = await until('the payer gateway\'s base URL', 120_000, () => /^OpenAI base URL:\s+(http:\/\/\S+)$/m.exec(first.output())?.[1]);
    expect(baseURL).toBe(`http://127.0.0.1:${devGatewayPorts(offset).payer}/v1`);
    expect(first.output()).toContain(`curl -s ${baseURL}/chat/completions`);
    const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'cairn-dev/llama-3.1-8b', messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 5 });
    expect(completion.choices[0]!.message.content).toBe('w0 w1 w2 w3 w4');
    expect(completion.usage).toMatchObject({ prompt_tokens: 2, completion_tokens: 5 });
    const metrics = await (await fetch(new URL('/metrics', baseURL))).text();
    expect(metrics).toMatch(/^cairn_payer_receipts_total\{result="cosigned"\} 1$/m);

    const before = await appHeight(first.rpcUrl); // committed by the app, so kept across the stop
    const stop = await interrupt(first, 'ctrl-c');
    expect(stop.exit, first.output()).toBe(0);
    expect(first.output()).toContain('stopped cleanly');
    await until('the launcher, the node and CometBFT to be gone', 30_000, () => (stop.pids.some(isRunning) ? undefined : true));

    // The ports stay in the home: the second start needs no --port-offset, as a second `npm start` needs none.
    const second = await startDevChain(dir);
    chains.push(second);
    expect(second.rpcUrl).toBe(first.rpcUrl);
    const resumed = Number(/^resumed at:\s+height (\d+)$/m.exec(second.output())?.[1]);
    expect(resumed).toBeGreaterThanOrEqual(before);
    await until('a block after the restart', 120_000, async () => (Number((await status(second.rpcUrl)).latestBlockHeight) > resumed ? true : undefined));
    expect(await ucairnBalance(second.rpcUrl, bob)).toBe(1_234_567n);

    const again = await interrupt(second, 'kill -INT');
    expect(again.exit, second.output()).toBe(0);
    await until('the launcher, the node and CometBFT to be gone', 30_000, () => (again.pids.some(isRunning) ? undefined : true));
  });

  it('refuses a --port-offset that is not a whole number or pushes a port past 65535, creating nothing', async () => {
    const home = await testDir('cairn-dev-bad-');
    dirs.push(home);
    for (const bad of ['x', '1.5', '38875', '1e3']) {
      const io = memoryIo();
      expect(await runCli(['dev', '--home', join(home, 'h'), '--port-offset', bad], io)).toBe(1);
      expect(io.stderrText()).toBe(`Error: --port-offset must be a whole number from 0 to 38874, got "${bad}"\n`);
    }
    expect(existsSync(join(home, 'h'))).toBe(false);
  });

  it('moves every port of an existing home by the offset and keeps its other settings', async () => {
    const home = await testDir('cairn-dev-ports-');
    dirs.push(home);
    await initNodeHome({ home, chainId: 'cairn-dev-1', moniker: 'dev', overwriteGenesis: true, appConfig: { minimumGasPrices: '0.5ucairn' } });
    await setNodePorts(home, defaultPorts(100));
    expect(await readConfigValue(home, 'rpc', 'laddr')).toBe('tcp://127.0.0.1:26757');
    expect(await readConfigValue(home, 'p2p', 'laddr')).toBe('tcp://127.0.0.1:26756');
    expect(await readConfigValue(home, '', 'proxy_app')).toBe('tcp://127.0.0.1:26758');
    expect(await readConfigValue(home, 'consensus', 'timeout_commit')).toBe('1000ms');
    const app = await readAppConfig(home);
    expect(app).toMatchObject({ abciAddress: 'tcp://127.0.0.1:26758', p2pListen: ['/ip4/127.0.0.1/tcp/26759'], metricsListen: '127.0.0.1:26761', minimumGasPrices: '0.5ucairn' });
    expect(app).toMatchObject({ apiAddress: 'tcp://127.0.0.1:1417', grpcAddress: '127.0.0.1:9190' });
  });

  it('gives a home made before the REST API and gRPC existed their sections on the moved ports', async () => {
    const home = await testDir('cairn-dev-ports-');
    dirs.push(home);
    await initNodeHome({ home, chainId: 'cairn-dev-1', moniker: 'dev', overwriteGenesis: true });
    const path = join(home, 'config', 'app.toml');
    await writeFile(path, (await readFile(path, 'utf8')).split('\n[api]\n')[0]!);
    expect((await readAppConfig(home)).grpcAddress).toBe('127.0.0.1:9090');
    await setNodePorts(home, defaultPorts(100));
    expect(await readAppConfig(home)).toMatchObject({ apiEnabled: false, apiAddress: 'tcp://127.0.0.1:1417', grpcEnabled: true, grpcAddress: '127.0.0.1:9190' });
  });
});
