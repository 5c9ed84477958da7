// `cairn localnet up|status|down` as a user runs them (each a separate CLI process), plus the staking
// commands against the running network: a localnet comes up from nothing with one command, with
// GPU operators registered, bonded, attested and serving, and a payer with escrow; it keeps running
// after the command exits, and `down` stops it by its recorded process ids, even after a node failed
// to come up.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { isOurs } from '../localnet/processes.ts';
import { Localnet } from '../localnet/index.ts';
import { devVerifierHex } from '../sdk/registry/dev-verifier.ts';
import { testDir } from './support/test-dirs.ts';

interface Playground {
  model: string;
  adapter: string;
  author: { address: string };
  payer: { address: string; payerKey: string; escrow: { available: string; locked: string } };
  operators: { key: string; address: string; status: string; bond: string; gpus: number }[];
}

const CLI = join(import.meta.dirname, '..', 'cli', 'cairn.ts');
const run = promisify(execFile);
let dir = '';

async function cairn(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [CLI, ...args, '-o', 'json'], { timeout: 120_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

afterAll(async () => {
  // Whatever happened above, nothing this test started keeps running.
  if (dir !== '' && existsSync(join(dir, 'localnet.json'))) await (await Localnet.open(dir)).down({ reset: true });
});

describe('cairn localnet', () => {
  it('comes up with one command, answers status, serves staking commands, and goes down by pid', async () => {
    dir = join(await testDir('cairn-localnet-'), 'net');
    const up = (await cairn('localnet', 'up', '--validators', '2', '--operators', '2', '--block-time', '300', '--dir', dir)) as {
      nodes: { name: string; rpc: string; libp2p: string; validator: string }[];
      seconds: number;
      dev_verifier: string;
      playground: Playground;
    };
    // The address `cairn receipts publish --peer` needs, with the node's peer id.
    for (const n of up.nodes) expect(n.libp2p).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3Koo\w+$/);
    expect(up.nodes.map((n) => n.name)).toEqual(['node0', 'node1']);
    expect(up.seconds).toBeLessThan(60);

    // The processes outlive the command that started them.
    const net = await Localnet.open(dir);
    const pids = net.nodes.map((n) => n.pids);
    for (const n of net.nodes) expect(net.isRunning(n.name)).toEqual({ app: true, cometbft: true });
    await net.waitForHeight(3, 30_000);
    const status = (await cairn('localnet', 'status', '--dir', dir)) as { nodes: { name: string; height: number; votingPower: string; peers: number }[] };
    expect(status.nodes.map((n) => [n.name, n.votingPower, n.peers])).toEqual([
      ['node0', '100', 1],
      ['node1', '100', 1],
    ]);
    expect(Math.min(...status.nodes.map((n) => n.height))).toBeGreaterThanOrEqual(3);
    // Every node serves the REST API (a localnet is for development), on the port status names.
    for (const n of status.nodes as unknown as { api: string }[]) {
      const r = await fetch(`${n.api}/cosmos/staking/v1beta1/validators`, { signal: AbortSignal.timeout(10_000) });
      expect(((await r.json()) as { validators: unknown[] }).validators).toHaveLength(2);
    }

    // Two GPU operators, bonded, with 8 attested GPUs, serving the model and the adapter; a payer
    // with escrow and an authorised payer key: as `up` printed them, as `status` shows them, and as
    // the chain answers any client.
    const node = up.nodes[0]!.rpc;
    const playground = (status as unknown as { playground: Playground }).playground;
    expect(playground.operators.map((o) => [o.key, o.status, o.bond, o.gpus])).toEqual([
      ['operator0', 'active', '100000000ucairn', 8],
      ['operator1', 'active', '100000000ucairn', 8],
    ]);
    expect(up.playground.operators.map((o) => o.address)).toEqual(playground.operators.map((o) => o.address));
    expect(playground.payer.escrow).toEqual({ available: '1000000000ucairn', locked: '0ucairn' });
    // Each CLI call costs a process start: the details are checked on operator0.
    for (const o of playground.operators.slice(0, 1)) {
      // verified-tee: the dev verifier's attestation was accepted.
      const record = (await cairn('query', 'registry', 'operator', o.address, '--node', node)) as { trustLevel: string; active: boolean };
      expect(record).toMatchObject({ trustLevel: 'verified-tee', active: true });
      const serves = (await cairn('query', 'registry', 'operator-serves', o.address, '--node', node)) as { offers: { modelId: string; pricePerUnit: string }[] };
      expect(serves.offers.map((x) => [x.modelId, x.pricePerUnit])).toEqual([
        [playground.model, '2ucairn'],
        [playground.adapter, '2ucairn'],
      ]);
    }
    const adapter = await cairn('query', 'registry', 'model', playground.adapter, '--node', node);
    expect(adapter).toMatchObject({ kind: 'adapter', baseModelId: playground.model, royaltyBps: 200, author: playground.author.address });
    const payerKeys = (await cairn('query', 'registry', 'payer-keys', playground.payer.address, '--node', node)) as { keys: { key: string; revokedHeight: string }[] };
    expect(payerKeys.keys.map((k) => [k.key, k.revokedHeight])).toEqual([[playground.payer.payerKey, '0']]);
    expect(up.dev_verifier).toBe(devVerifierHex());

    const validators = (await cairn('query', 'staking', 'validators', '--node', node)) as { validators: { operatorAddress: string; tokens: string }[] };
    expect(validators.validators.map((v) => v.tokens)).toEqual(['100000000', '100000000']);
    const valoper = validators.validators[1]!.operatorAddress;
    const keys = ['--keyring-dir', dir, '--keyring-backend', 'test'];
    const tx = (await cairn('tx', 'staking', 'delegate', 'faucet', valoper, '5000000ucairn', '--node', node, ...keys, '--gas', 'auto', '--gas-prices', '0.025ucairn')) as { code: number };
    expect(tx.code).toBe(0);
    const faucet = net.manifest.faucet.address;
    const delegations = (await cairn('query', 'staking', 'delegations', faucet, '--node', node)) as { delegationResponses: { balance: { amount: string } }[] };
    expect(delegations.delegationResponses.map((d) => d.balance.amount)).toEqual(['5000000']);

    const down = (await cairn('localnet', 'down', '--dir', dir)) as { stopped: number };
    expect(down.stopped).toBe(2);
    net.nodes.forEach((n, i) => {
      expect(isOurs(pids[i]?.app, n.home)).toBe(false);
      expect(isOurs(pids[i]?.cometbft, n.home)).toBe(false);
    });
    await cairn('localnet', 'down', '--reset', '--dir', dir);
    expect(existsSync(dir)).toBe(false);
  }, 420_000);

  it('records every process it started even when another node fails to come up, so `down` stops them all', async () => {
    const failDir = join(await testDir('cairn-localnet-fail-'), 'net');
    const net = await Localnet.create({ dir: failDir, validators: 2, blockTimeMs: 300 });
    // node1's CometBFT cannot bind its RPC port: it exits and `up` fails.
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(net.node('node1').ports.rpc, '127.0.0.1', r));
    try {
      await expect(net.up({ timeoutMs: 30_000 })).rejects.toThrow();
    } finally {
      squatter.close();
    }
    const reopened = await Localnet.open(failDir);
    const recorded = reopened.nodes.flatMap((n) => [n.pids?.app, n.pids?.cometbft].map((pid) => ({ pid, home: n.home })));
    const running = recorded.filter((r) => isOurs(r.pid, r.home)).length;
    await reopened.down({ reset: true });
    expect(running).toBeGreaterThanOrEqual(3);
    for (const r of recorded) expect(isOurs(r.pid, r.home)).toBe(false);
    expect(existsSync(failDir)).toBe(false);
  }, 90_000);
});
