// A real Prometheus (Debian's, installed by `npm test`'s setup) scrapes a running node: the series
// exist, the alert rules load (promtool and the server itself), and every query of the Grafana
// dashboard names only series the scrape has and evaluates without error.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../node/cometbft/ports.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';
import { PROMETHEUS, PROMTOOL, prometheusInstalled } from '../scripts/prometheus.ts';
import { eventually } from './support/localnet.ts';
import { createTestHome } from './support/node-home.ts';
import { testAddress } from './support/p2p.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';
import { testDir } from './support/test-dirs.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RULES = join(ROOT, 'docs', 'monitoring', 'cairn-alerts.yml');
const DASHBOARD = join(ROOT, 'docs', 'monitoring', 'cairn-dashboard.json');

let node: RunningNode | undefined;
let prometheus: ChildProcess | undefined;
let dir: string;
let api: string;
let alice: TestWallet;

/** Waits for the child to exit, killing it harder if SIGTERM is not enough. */
async function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

async function query<T>(path: string): Promise<T> {
  const res = await fetch(`${api}${path}`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? res.status}`);
  return body.data;
}

type Vector = { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
const instant = (expr: string): Promise<Vector> => query<Vector>(`/api/v1/query?query=${encodeURIComponent(expr)}`);

/** The series names an expression reads: its identifiers, less functions, keywords, labels, strings and ranges. */
function seriesNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = bare.slice(m.index + m[0].length).trimStart();
    if (after.startsWith('(')) continue;
    if (['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan'].includes(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names];
}

/** Every query of the dashboard, with Grafana's variables as Prometheus would see them. */
async function dashboardQueries(): Promise<{ panel: string; expr: string }[]> {
  const dash = JSON.parse(await readFile(DASHBOARD, 'utf8')) as { panels: { title: string; panels?: unknown[]; targets?: { expr: string }[] }[] };
  const panels = dash.panels.flatMap((p) => [p, ...((p.panels ?? []) as typeof dash.panels)]);
  return panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr.replaceAll('$__rate_interval', '1m').replaceAll('$instance', '.*') })));
}

beforeAll(async () => {
  if (!prometheusInstalled()) throw new Error(`${PROMETHEUS} and ${PROMTOOL} are missing: \`npm test\` installs Debian's prometheus (scripts/prometheus.ts), or run \`sudo apt-get install prometheus\``);
  alice = await testWallet(0);
  const { home } = await createTestHome([{ address: alice.address, amount: 10_000_000_000n }]);
  dir = await testDir('cairn-prometheus-');
  node = await startNode({
    home,
    logger: silentLogger,
    withCometbft: true,
    config: { p2pListen: ['/ip4/127.0.0.1/tcp/0'], metricsListen: '127.0.0.1:0', availabilityValidator: testAddress('monitored-validator') },
  });
  await eventually('the first block', 60_000, async () => (node!.app.store.lastHeight >= 1n ? true : undefined));
  // One transaction, so the CheckTx and tx-result series have their first samples.
  const client = await SigningStargateClient.connectWithSigner(node.rpcUrl!, alice.wallet, { registry: cairnRegistry(), gasPrice: GasPrice.fromString('0.025ucairn') });
  const sent = await client.sendTokens(alice.address, testAddress('someone'), [{ denom: 'ucairn', amount: '1000' }], 'auto');
  expect(sent.code).toBe(0);
  client.disconnect();

  const [port] = (await freePorts(1)) as [number];
  const target = new URL(node.metrics!.url).host;
  await writeFile(
    join(dir, 'prometheus.yml'),
    ['global:', '  scrape_interval: 1s', '  evaluation_interval: 1s', 'rule_files:', `  - ${JSON.stringify(RULES)}`, 'scrape_configs:', '  - job_name: cairn', '    static_configs:', `      - targets: [${JSON.stringify(target)}]`, ''].join('\n'),
  );
  prometheus = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: 'ignore' });
  api = `http://127.0.0.1:${port}`;
  await eventually('prometheus to answer', 30_000, async () => ((await fetch(`${api}/-/ready`).catch(() => undefined))?.ok === true ? true : undefined), 250);
}, 180_000);

afterAll(async () => {
  await stop(prometheus);
  await node?.stop();
});

describe('Prometheus scraping a node', () => {
  it('finds the target up and the node’s series, with the values the node holds', async () => {
    const targets = await eventually('a successful scrape', 30_000, async () => {
      const t = await query<{ activeTargets: { health: string; labels: Record<string, string> }[] }>('/api/v1/targets');
      return t.activeTargets.some((a) => a.health === 'up') ? t.activeTargets : undefined;
    });
    expect(targets[0]!.labels['job']).toBe('cairn');
    const height = await eventually('the height in Prometheus', 30_000, async () => Number((await instant('cairn_app_height')).result[0]?.value[1] ?? 0) || undefined);
    expect(height).toBeGreaterThanOrEqual(2);
    const admitted = await eventually('the sent tx counted', 30_000, async () => (await instant('sum(cairn_tx_results_total{code="0",msg_type="/cosmos.bank.v1beta1.MsgSend"})')).result[0]?.value[1]);
    expect(Number(admitted)).toBe(1);
    const supply = Number((await instant('cairn_supply{denom="ucairn"}')).result[0]?.value[1]);
    expect(supply).toBeGreaterThan(10_000_000_000);
    expect((await instant('cairn_node_validator_info')).result).toHaveLength(1);
  });

  it('loads the alert rules: promtool checks them and the server evaluates every one', async () => {
    const out = execFileSync(PROMTOOL, ['check', 'rules', RULES], { encoding: 'utf8', timeout: 30_000 });
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
    const rules = await eventually('the rules evaluated', 30_000, async () => {
      const data = await query<{ groups: { rules: { name: string; health: string; lastError?: string }[] }[] }>('/api/v1/rules');
      const all = data.groups.flatMap((g) => g.rules);
      return all.length > 0 && all.every((r) => r.health === 'ok') ? all : undefined;
    });
    expect(rules.map((r) => r.name)).toEqual(expect.arrayContaining(['CairnHeightStalled', 'CairnMissedBlocks', 'CairnValidatorSlashed', 'CairnWatcherSubmitFailures', 'CairnRssGrowth']));
    // A healthy node fires nothing but the unfunded watcher (its key holds no tokens here).
    const firing = (await query<{ alerts: { labels: { alertname: string }; state: string }[] }>('/api/v1/alerts')).alerts.filter((a) => a.state === 'firing').map((a) => a.labels.alertname);
    expect(firing.filter((n) => n !== 'CairnWatcherUnfunded')).toEqual([]);
  });

  it('has every series each dashboard query reads, and evaluates each query', async () => {
    const scraped = new Set(await query<string[]>('/api/v1/label/__name__/values'));
    const queries = await dashboardQueries();
    expect(queries.length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const q of queries) for (const name of seriesNames(q.expr)) if (!scraped.has(name)) missing.push(`${q.panel}: ${name}`);
    expect(missing).toEqual([]);
    for (const q of queries) await expect(instant(q.expr), `${q.panel}: ${q.expr}`).resolves.toMatchObject({ resultType: expect.any(String) });
  });

  it('reads series names out of PromQL', () => {
    expect(seriesNames('histogram_quantile(0.99, sum by (method, le) (rate(a_bucket{method="x",instance=~".*"}[5m])))')).toEqual(['a_bucket']);
    expect(seriesNames('increase(b_total[10m]) * on (instance, validator) group_left c_info > 10')).toEqual(['b_total', 'c_info']);
    expect(seriesNames('time() - d_seconds')).toEqual(['d_seconds']);
  });
});
