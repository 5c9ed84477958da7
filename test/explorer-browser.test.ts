// Issue 17's explorer in a real browser: Debian's chromium (installed by `npm test`'s setup when
// missing), driven headless by puppeteer-core, against a real 2-validator localnet with the
// playground's operators (`localnet up --operators 2`). operator0 serves receipts until a batch is
// finalized and paid; operator1 renames itself to an XSS payload. Each view is checked against what
// the node's REST API says, the marketplace's filter and the search box are used with the keyboard,
// nothing runs from the payload, the page logs no error, and each main view is saved as a screenshot
// under bench/out/.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Localnet } from '../localnet/index.ts';
import { silentLogger } from '../node/log.ts';
import { ExplorerServer } from '../node/explorer/server.ts';
import { registryMsgs } from '../sdk/registry/messages.ts';
import { ensureChromium } from '../scripts/chromium.ts';
import { submitMsg } from './support/gov.ts';
import { eventually } from './support/localnet.ts';
import { type PaidBatch, PlaygroundSender, servePaidBatch, submitPaidBatch } from './support/paid-batch.ts';
import { testDir } from './support/test-dirs.ts';

const EPOCH = 30n;
const XSS = '<img src=x onerror="window.__xss=1">';
/** A proposal title is anyone's too. */
const TITLE = '<script>window.__xss=2</script> raise the GPU bond';
const SHOTS = join(import.meta.dirname, '..', 'bench', 'out');

let net: Localnet;
let sender: PlaygroundSender;
let explorer: ExplorerServer;
let browser: Browser;
let page: Page;
let rest: string;
let paid: PaidBatch;
const problems: string[] = [];

/** What the node's REST API answers (the cross-check of every view). */
async function api<T = any>(path: string): Promise<T> {
  const r = await fetch(`${rest}${path}`);
  if (!r.ok) throw new Error(`GET ${path}: HTTP ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/** ucairn as the page writes it, written here on its own: 12345678 → "12.345678 CAIRN". */
function cairn(amount: string | bigint): string {
  const n = BigInt(amount);
  const frac = (n % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${(n / 1_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac === '' ? '' : `.${frac}`} CAIRN`;
}

/** Opens a view and waits for its data to be drawn from the chain (and not an error). */
async function open(hash: string): Promise<void> {
  await page.evaluate((h) => ((globalThis as any).location.hash = h), hash);
  await settled(hash);
}

async function settled(hash: string): Promise<void> {
  // The address changes before the hashchange event redraws: wait for the view drawn for this one.
  await page.waitForFunction((h) => {
    const data = (globalThis as any).document.querySelector('.data');
    return data?.getAttribute('data-hash') === h && data.getAttribute('aria-busy') === 'false';
  }, { timeout: 60_000 }, hash);
  const error = await page.$eval('.data', (d) => (d.getAttribute('data-error') === 'true' ? d.textContent : null));
  expect(error, `${hash} drew an error`).toBeNull();
}

/** A table's body as text cells, by its data-table label. */
function rows(label: string): Promise<string[][]> {
  return page.$$eval(`table[data-table="${label}"] tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
}

/** A facts list as term → text. */
function facts(label: string): Promise<Record<string, string>> {
  return page.$$eval(`dl[data-facts="${label}"] > div`, (divs) => Object.fromEntries(divs.map((d) => [d.querySelector('dt')!.textContent!, d.querySelector('dd')!.textContent!])));
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `explorer-${name}.png`), fullPage: true });
}

beforeAll(async () => {
  const chromium = ensureChromium((line) => console.error(`setup: ${line}`));
  if (chromium === undefined) throw new Error('chromium is missing and could not be installed: `apt-get install chromium` runs this test');
  await mkdir(SHOTS, { recursive: true });
  const dir = join(await testDir('cairn-explorer-net-'), 'net');
  net = await Localnet.create({
    dir,
    validators: 2,
    operators: 2,
    blockTimeMs: 400,
    genesis: {
      receipts: { params: { epoch_blocks: EPOCH.toString(), dispute_window_blocks: '30', reveal_window: '20', sample_count: 2, challenge_bond: { denom: 'ucairn', amount: '1000' } } },
      emission: { params: { year0_budget: '200000000', epochs_per_year: '4', halving_interval_years: 1, max_operator_share_bps: 10_000 } },
    },
  });
  await net.up({ killOnExit: true, timeoutMs: 90_000 });
  rest = `http://127.0.0.1:${net.node('node0').ports.api}`;
  sender = new PlaygroundSender(net);
  const op1 = net.manifest.playground!.operators[1]!;
  // operator1 lists itself under a moniker that is an XSS payload, in a region of its own.
  await sender.ok(op1, [registryMsgs.MsgUpdateOperator({ operator: op1.address, moniker: XSS, endpoints: ['https://operator1.playground.invalid/v1'], region: 'eu-west', linkedHosts: [] })]);
  // The payer puts a signaling proposal up for a vote (10 CAIRN, the minimum deposit).
  const payer = net.manifest.playground!.payer;
  await sender.ok(payer, [submitMsg(payer.address, [], '10000000', { title: TITLE, metadata: 'ipfs://signal' })]);
  paid = await servePaidBatch(net, sender, { epochBlocks: EPOCH, label: 'explorer' });
  explorer = new ExplorerServer({ host: '127.0.0.1', port: 0, rest, logger: silentLogger });
  await explorer.start();
  browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(explorer.url);
  await settled('');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await explorer?.stop();
  sender?.disconnect();
  await net?.down({ reset: true });
});

describe('the explorer in headless chromium on a localnet with operators and a finalized batch', () => {
  it('the marketplace lists every operator as the catalog has them; the XSS moniker is text and runs nothing', async () => {
    await open('#/market');
    const catalog = await api<{ operators: any[] }>('/cairn/registry/v1/operators');
    const table = await rows('operators');
    expect(table.length).toBe(catalog.operators.length);
    for (const e of catalog.operators) {
      const row = table.find((r) => r[0] === e.operator.moniker);
      expect(row, e.operator.moniker).toBeDefined();
      expect(row![5]).toBe(e.operator.region);
      expect(row![6]).toBe(cairn(e.price.amount));
      expect(row![1]).toBe(e.gpus.map((g: any) => `${g.count}× ${g.model} (${g.vram_gb} GB)`).join(', '));
    }
    // The payload is the link's text, exactly, and no element was made from it.
    expect(table.map((r) => r[0])).toContain(XSS);
    expect(await page.$$eval('main img, main [onerror]', (els) => els.length)).toBe(0);
    expect(await page.evaluate(() => (globalThis as any).__xss)).toBeUndefined();
    await shot('marketplace');
  });

  it('filters by region with the keyboard, as the catalog query does', async () => {
    await page.focus('#f-region');
    await page.keyboard.type('eu-west');
    await page.keyboard.press('Enter');
    await settled('#/market?region=eu-west');
    const filtered = await api<{ operators: any[] }>('/cairn/registry/v1/operators?region=eu-west');
    expect(filtered.operators.map((e) => e.operator.moniker)).toEqual([XSS]);
    expect((await rows('operators')).map((r) => r[0])).toEqual([XSS]);
    await open('#/market?region=nowhere');
    expect(await page.$eval('[data-table="operators"]', (e) => e.textContent)).toBe('operators: none match');
  });

  it('an operator’s page shows its bond, batches and settled earnings', async () => {
    const op0 = net.manifest.playground!.operators[0]!;
    await open(`#/operator/${op0.address}`);
    const o = await api<any>(`/cairn/registry/v1/operator?address=${op0.address}`);
    const f = await facts('operator');
    expect(f['Bond']).toBe(cairn(o.operator.bond.amount));
    const batch = await api<any>(`/cairn/receipts/v1/batch?id=${paid.id}`);
    expect(f['Settled earnings']).toBe(cairn(batch.batch.split.operator_amount));
    expect((await rows('operator batches')).map((r) => r[0])).toContain(`#${paid.id}`);
    await shot('operator');
  });

  it('models show the registry’s manifests and the royalties the finalized batch paid them', async () => {
    await open('#/models');
    const models = await api<{ models: any[] }>('/cairn/registry/v1/models?include_deprecated=true');
    const table = await rows('models');
    expect(table.map((r) => r[0]).sort()).toEqual(models.models.map((m) => m.id).sort());
    const batch = await api<any>(`/cairn/receipts/v1/batch?id=${paid.id}`);
    const royalty = batch.batch.split.royalties.find((p: any) => p.model_id === batch.batch.model_id);
    expect(BigInt(royalty.amount)).toBeGreaterThan(0n);
    const row = table.find((r) => r[0] === batch.batch.model_id)!;
    expect(row[4]).toBe('Apache-2.0');
    expect(row[8]).toBe(cairn(royalty.amount));
    const ledger = await api<any>(`/cairn/royalty/v1/ledger?recipient=${royalty.address}`);
    const author = (await rows('authors')).find((r) => r[0] === royalty.address)!;
    expect(author[3]).toBe(cairn(ledger.entry.paid));
    await shot('models');
  });

  it('settlement counts batches by state as the chain holds them, and the batch’s page shows its split', async () => {
    await open('#/settlement');
    const finalized = await api<{ batches: any[] }>('/cairn/receipts/v1/batches?status=BATCH_STATUS_FINALIZED');
    const f = await facts('batches by state');
    expect(f['Finalized']).toBe(String(finalized.batches.length));
    expect(Number(f['Finalized'])).toBeGreaterThanOrEqual(1);
    const all = await rows('batches');
    expect(all.find((r) => r[0] === `#${paid.id}`)?.[1]).toBe('finalized');
    await shot('settlement');
    await open(`#/batch/${paid.id}`);
    const b = (await api<any>(`/cairn/receipts/v1/batch?id=${paid.id}`)).batch;
    const split = await facts('split');
    expect(split['Fee burned']).toBe(cairn(b.split.fee_burned));
    expect(split['Operator']).toBe(cairn(b.split.operator_amount));
  });

  it('a pending batch shows its dispute window counting down to the block the chain holds, then finalizes', async () => {
    const second = await submitPaidBatch(net, sender, { epochBlocks: EPOCH, label: 'explorer-pending' });
    await open('#/settlement');
    const b = (await api<any>(`/cairn/receipts/v1/batch?id=${second.id}`)).batch;
    expect(b.status).toBe('BATCH_STATUS_PENDING');
    const countdown = async (): Promise<{ left: number; end: string } | undefined> => {
      const text = (await rows('pending batches')).find((r) => r[0] === `#${second.id}`)?.[7];
      const m = /^(\d+) blocks left \(ends at (\d+)\)$/.exec(text ?? '');
      return m === null ? undefined : { left: Number(m[1]), end: m[2]! };
    };
    const first = await countdown();
    expect(first?.end).toBe(b.dispute_end);
    const height = Number((await api<any>('/cosmos/base/tendermint/v1beta1/blocks/latest')).block.header.height);
    // Drawn at a height between the batch's submission and now.
    expect(first!.left).toBeGreaterThanOrEqual(Number(b.dispute_end) - height);
    expect(first!.left).toBeLessThanOrEqual(Number(b.dispute_end) - Number(b.submitted_height));
    // The next poll (every 5 s) counts down.
    await page.waitForFunction(
      (id, was) => {
        const row = [...(globalThis as any).document.querySelectorAll('table[data-table="pending batches"] tbody tr')].find((tr: any) => tr.cells[0].textContent === `#${id}`);
        const m = /^(\d+) blocks left/.exec(row?.cells[7].textContent ?? '');
        return m === null || Number(m[1]) < was;
      },
      { timeout: 30_000 },
      String(second.id),
      first!.left,
    );
    await shot('settlement-pending');
    await second.finalize();
  }, 180_000);

  it('economics shows the cap, the halving schedule and each ended epoch’s emission as the chain has them', async () => {
    await open('#/economics');
    const status = await api<any>('/cairn/emission/v1/status');
    const f = await facts('supply');
    expect(f['Cap']).toBe(cairn(status.max_supply));
    const epochs = await rows('emission per epoch');
    expect(epochs.length).toBeGreaterThan(0);
    for (const [epoch, scheduled, minted, operators, validators] of epochs.slice(0, 3)) {
      const e = (await api<any>(`/cairn/emission/v1/epoch?epoch=${epoch}`)).emission;
      expect([scheduled, minted, operators, validators]).toEqual([cairn(e.scheduled), cairn(e.minted), cairn(e.operators_minted), cairn(e.validators_minted)]);
    }
    expect(await page.$$eval('svg[data-chart="emission"] rect.operators', (r) => r.length)).toBe(epochs.length);
    const era1 = await api<any>('/cairn/emission/v1/epoch_budget?epoch=4');
    expect((await rows('halving schedule'))[1]).toEqual(['1', '4', cairn(era1.budget)]);
    await shot('economics');
  });

  it('the chain view lists the validators with their voting power; search finds the batch’s transaction', async () => {
    await open('#/chain');
    const set = await api<any>('/cosmos/base/tendermint/v1beta1/validatorsets/latest');
    const vals = await rows('validators');
    expect(vals.length).toBe(set.validators.length);
    expect(vals.map((r) => r[2]).sort()).toEqual(set.validators.map((v: any) => BigInt(v.voting_power).toLocaleString('en-US')).sort());
    // The localnet's voting period is short: once it is over, the proposal's status and final tally stay put.
    const done = await eventually('the proposal’s voting period to end', 120_000, async () => {
      const p = (await api<any>('/cosmos/gov/v1/proposals')).proposals;
      return p.length === 1 && !['PROPOSAL_STATUS_DEPOSIT_PERIOD', 'PROPOSAL_STATUS_VOTING_PERIOD'].includes(p[0].status) ? p[0] : undefined;
    });
    await open('#/market');
    await open('#/chain');
    const t = done.final_tally_result;
    const status = done.status.replace('PROPOSAL_STATUS_', '').toLowerCase().replace(/_/g, ' ');
    expect(await rows('proposals')).toEqual([[`#${done.id}`, TITLE, status, `yes ${cairn(t.yes_count)} · no ${cairn(t.no_count)} · veto ${cairn(t.no_with_veto_count)} · abstain ${cairn(t.abstain_count)}`, expect.any(String)]]);
    expect(await page.$$eval('main script', (els) => els.length)).toBe(0);
    await shot('chain');
    // The search box, from the keyboard: "/" focuses it.
    await page.keyboard.press('/');
    await page.keyboard.type(paid.submitTx.toLowerCase());
    await page.keyboard.press('Enter');
    await settled(`#/tx/${paid.submitTx}`);
    const tx = await api<any>(`/cosmos/tx/v1beta1/txs/${paid.submitTx}`);
    const f = await facts('transaction');
    expect(f['Hash']).toBe(paid.submitTx);
    expect(f['Height']).toBe(tx.tx_response.height);
    expect(await page.$$eval('.messages h3', (hs) => hs.map((h) => h.textContent))).toEqual(['/cairn.receipts.v1.MsgSubmitBatch']);
    expect((await rows('events')).map((r) => r[0])).toEqual(tx.tx_response.events.map((e: any) => e.type));
    await shot('tx');
  }, 180_000);

  it('search finds an operator by moniker, and a block and a batch by number; on a phone-sized screen nothing overflows the page sideways', async () => {
    // One hit opens its page.
    await page.evaluate((h) => ((globalThis as any).location.hash = h), '#/search/operator0');
    await settled(`#/operator/${net.manifest.playground!.operators[0]!.address}`);
    // A number is a height, a batch id or a proposal id: every one that exists is listed.
    await open(`#/search/${paid.id}`);
    const hits = await page.$$eval('[data-search="results"] a', (as) => as.map((a) => a.textContent));
    expect(hits).toEqual(expect.arrayContaining([`Block ${paid.id}`, `Batch #${paid.id}`]));
    await page.setViewport({ width: 390, height: 844, isMobile: true });
    for (const view of ['#/market', '#/economics', '#/chain']) {
      await open(view);
      // Wide tables scroll inside their own box; the page itself fits the screen.
      expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth), view).toBeLessThanOrEqual(390);
    }
    await shot('chain-phone');
    await page.setViewport({ width: 1280, height: 900 });
  });

  it('logged no error and ran nothing from the chain’s strings', async () => {
    expect(await page.evaluate(() => (globalThis as any).__xss)).toBeUndefined();
    expect(problems).toEqual([]);
  });
});
