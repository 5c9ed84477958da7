// Economics: the supply against its cap, what each epoch minted against the schedule (split between
// operators and validators, an inline SVG chart with the same numbers in a table), fees burned, the
// halving schedule and what sits in escrow and bonds.
import { all, get, maybe } from '../api.js';
import { facts, h, s, section, table } from '../dom.js';
import { coin, grouped, sum } from '../format.js';

/** Epochs shown in the chart (the latest ended ones). */
const CHART_EPOCHS = 24;

async function moduleBalance(name, signal) {
  const acc = await maybe(`/cosmos/auth/v1beta1/module_accounts/${name}`, {}, signal);
  const address = acc?.account?.base_account?.address;
  if (address === undefined) return 0n;
  const b = await get(`/cosmos/bank/v1beta1/balances/${address}/by_denom`, { denom: 'ucairn' }, signal);
  return BigInt(b.balance?.amount ?? 0);
}

/** Stacked bars (operators below, validators above) and a tick at each epoch's scheduled budget. */
function chart(epochs) {
  const W = 640;
  const H = 220;
  const pad = { l: 8, r: 8, t: 12, b: 24 };
  const max = epochs.reduce((m, e) => [BigInt(e.scheduled), BigInt(e.minted), m].reduce((a, b) => (b > a ? b : a)), 1n);
  const y = (v) => pad.t + (H - pad.t - pad.b) * (1 - Number((BigInt(v) * 10_000n) / max) / 10_000);
  const slot = (W - pad.l - pad.r) / Math.max(epochs.length, 1);
  const bar = Math.max(2, slot * 0.6);
  const title = `Emission per epoch, epochs ${epochs[0]?.epoch ?? 0} to ${epochs.at(-1)?.epoch ?? 0}: minted to operators and validators against the scheduled budget`;
  return s(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'chart', 'data-chart': 'emission' },
    s('title', {}, title),
    s('line', { x1: pad.l, x2: W - pad.r, y1: H - pad.b, y2: H - pad.b, class: 'axis' }),
    ...epochs.flatMap((e, i) => {
      const x = pad.l + i * slot + (slot - bar) / 2;
      const op = BigInt(e.operators_minted);
      const yOp = y(op);
      const yAll = y(op + BigInt(e.validators_minted));
      return [
        s('rect', { x, y: yOp, width: bar, height: H - pad.b - yOp, class: 'operators' }, s('title', {}, `epoch ${e.epoch}: operators ${coin(op)}`)),
        s('rect', { x, y: yAll, width: bar, height: yOp - yAll, class: 'validators' }, s('title', {}, `epoch ${e.epoch}: validators ${coin(e.validators_minted)}`)),
        s('line', { x1: x - 2, x2: x + bar + 2, y1: y(e.scheduled), y2: y(e.scheduled), class: 'scheduled' }, s('title', {}, `epoch ${e.epoch}: scheduled ${coin(e.scheduled)}`)),
        epochs.length <= 12 || i % Math.ceil(epochs.length / 12) === 0 ? s('text', { x: x + bar / 2, y: H - 6, 'text-anchor': 'middle' }, String(e.epoch)) : null,
      ];
    }),
  );
}

async function render(_params, signal) {
  const [status, params, mint, finalized, escrow, bonds, treasury, supply] = await Promise.all([
    get('/cairn/emission/v1/status', {}, signal),
    get('/cairn/emission/v1/params', {}, signal),
    get('/cosmos/mint/v1beta1/inflation', {}, signal),
    all('/cairn/receipts/v1/batches', 'batches', { status: 'BATCH_STATUS_FINALIZED' }, signal),
    moduleBalance('receipts_escrow', signal),
    moduleBalance('registry_bonds', signal),
    moduleBalance('treasury', signal),
    get('/cosmos/bank/v1beta1/supply/by_denom', { denom: 'ucairn' }, signal),
  ]);
  const current = Number(status.current_epoch ?? 0);
  const first = Math.max(0, current - CHART_EPOCHS);
  const ended = await Promise.all(Array.from({ length: current - first }, (_, i) => maybe('/cairn/emission/v1/epoch', { epoch: first + i }, signal)));
  const epochs = ended.map((r, i) => r?.emission && { epoch: first + i, ...r.emission }).filter(Boolean);
  const p = params.params;
  const perEra = Number(p.halving_interval_years) * Number(p.epochs_per_year);
  const eras = await Promise.all([0, 1, 2, 3, 4].map((k) => get('/cairn/emission/v1/epoch_budget', { epoch: k * perEra }, signal).then((b) => ({ era: k, epoch: k * perEra, ...b }))));
  const cap = BigInt(status.max_supply);
  const now = BigInt(status.supply);
  const burned = sum(finalized.map((b) => b.split?.fee_burned));
  return h(
    'div',
    {},
    section(
      'Supply',
      h('meter', { min: 0, max: Number(cap / 1_000_000n), value: Number(now / 1_000_000n), 'aria-label': 'supply against the cap' }, `${coin(now)} of ${coin(cap)}`),
      facts('supply', [
        ['Supply', coin(now)],
        ['Bank supply', coin(supply.amount?.amount)],
        ['Cap', coin(cap)],
        ['Room under the cap', coin(status.remaining_cap)],
        ['Minted by emission', coin(status.minted_total)],
        ['Inflation (annualised)', `${(Number(mint.inflation) * 100).toFixed(4)}%`],
      ]),
    ),
    section(
      'Emission per epoch',
      facts('epoch', [
        ['Current epoch', String(current)],
        ['Ends at height', status.epoch_end_height],
        ['This epoch’s budget', coin(status.epoch_budget)],
        ['Validators’ share', `${Number(p.validator_share_bps) / 100}%`],
      ]),
      epochs.length === 0 ? h('p', { class: 'empty' }, 'no epoch has ended yet') : chart(epochs),
      h('p', { class: 'legend' }, h('span', { class: 'key operators' }, 'operators'), ' ', h('span', { class: 'key validators' }, 'validators'), ' ', h('span', { class: 'key scheduled' }, 'scheduled budget')),
      table('emission per epoch', [
        ['Epoch', (e) => String(e.epoch), { num: true }],
        ['Scheduled', (e) => coin(e.scheduled), { num: true }],
        ['Minted', (e) => coin(e.minted), { num: true }],
        ['Operators', (e) => coin(e.operators_minted), { num: true }],
        ['Validators', (e) => coin(e.validators_minted), { num: true }],
        ['Unminted', (e) => coin(e.unminted), { num: true }],
      ], [...epochs].reverse()),
    ),
    section(
      'Fees and escrow',
      facts('fees and escrow', [
        ['Fees burned (finalized batches)', coin(burned)],
        ['Treasury', coin(treasury)],
        ['Payers’ escrow (available and locked)', coin(escrow)],
        ['Operators’ bonds', coin(bonds)],
      ]),
    ),
    section(
      'Halving schedule',
      facts('halving', [
        ['Halving every', `${p.halving_interval_years} year(s) of ${grouped(p.epochs_per_year)} epochs`],
        ['Next halving', `epoch ${status.next_halving_epoch} (height ${status.next_halving_height}), budget then ${coin(status.next_epoch_budget_after_halving)}`],
      ]),
      table('halving schedule', [['Era', (e) => String(e.era), { num: true }], ['From epoch', (e) => grouped(e.epoch), { num: true }], ['Budget per epoch', (e) => coin(e.budget), { num: true }]], eras),
    ),
  );
}

export const economics = { title: 'Economics', render };
