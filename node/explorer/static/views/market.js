// The GPU marketplace: the registry's catalog query (filters and sort as the chain offers them),
// with each operator's served models, reputation and uptime; and one operator's page.
import { all, get, maybe } from '../api.js';
import { facts, h, link, section, table } from '../dom.js';
import { bps, coin, coins, enumName, sum } from '../format.js';

const TIERS = ['', 'GPU_TIER_CONSUMER', 'GPU_TIER_WORKSTATION', 'GPU_TIER_DATACENTER'];
const TEES = ['', 'TEE_TYPE_NONE', 'TEE_TYPE_SEV_SNP', 'TEE_TYPE_TDX', 'TEE_TYPE_NVIDIA_CC'];
const SORTS = [
  ['', 'registration'],
  ['SORT_BY_PRICE', 'price, lowest first'],
  ['SORT_BY_REPUTATION', 'reputation, highest first'],
];
const FILTERS = ['region', 'gpu_model', 'tier', 'tee_type', 'served_model', 'sort_by', 'include_inactive'];

export const tier = (t) => enumName(t, 'GPU_TIER_');
export const tee = (t) => enumName(t, 'TEE_TYPE_');
export const trust = (t) => enumName(t, 'TRUST_LEVEL_');
export const opStatus = (s) => enumName(s, 'OPERATOR_STATUS_');

/** The filter form: its values live in the address (#/market?region=…), so a filtered view can be shared. */
function controls(params) {
  const field = (name, label, input) => h('label', {}, h('span', {}, label), input);
  const text = (name, placeholder) => h('input', { name, id: `f-${name}`, value: params.get(name) ?? '', placeholder, autocomplete: 'off' });
  const select = (name, options) =>
    h(
      'select',
      { name, id: `f-${name}` },
      options.map(([value, label]) => h('option', { value, selected: (params.get(name) ?? '') === value }, label)),
    );
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'filter operators' },
    field('region', 'Region', text('region', 'e.g. eu-west')),
    field('gpu_model', 'GPU model', text('gpu_model', 'e.g. H100-80GB')),
    field('tier', 'Tier', select('tier', TIERS.map((t) => [t, t === '' ? 'any' : tier(t)]))),
    field('tee_type', 'TEE', select('tee_type', TEES.map((t) => [t, t === '' ? 'any' : tee(t)]))),
    field('served_model', 'Serves model', text('served_model', 'model id')),
    field('sort_by', 'Sort by', select('sort_by', SORTS)),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'include_inactive', id: 'f-include_inactive', checked: params.get('include_inactive') === 'true' }), h('span', {}, 'include jailed and unbonding')),
    h('button', { type: 'submit' }, 'Apply'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const name of FILTERS) {
      const el = form.elements.namedItem(name);
      const v = el.type === 'checkbox' ? (el.checked ? 'true' : '') : el.value.trim();
      if (v !== '') q.set(name, v);
    }
    location.hash = `#/market${q.size === 0 ? '' : `?${q}`}`;
  });
  return form;
}

/** What the catalog does not carry: served models and reputation, one query each per operator. */
async function extras(address, signal) {
  const [serves, rep] = await Promise.all([get('/cairn/registry/v1/operator_serves', { operator: address }, signal), maybe('/cairn/emission/v1/reputation', { operator: address }, signal)]);
  return { models: (serves.offers ?? []).map((o) => o.model_id), reputation: rep?.reputation };
}

async function render(params, signal) {
  const query = {};
  for (const name of FILTERS) if (params.get(name)) query[name] = params.get(name);
  const r = await get('/cairn/registry/v1/operators', { ...query, 'pagination.limit': 100, 'pagination.count_total': true }, signal);
  const entries = r.operators ?? [];
  const more = await Promise.all(entries.map((e) => extras(e.operator.address, signal)));
  const rows = entries.map((e, i) => ({ ...e, ...more[i] }));
  const gpus = (e) => (e.gpus ?? []).map((g) => `${g.count}× ${g.model} (${g.vram_gb} GB)`).join(', ') || '—';
  return h(
    'div',
    {},
    h('p', { class: 'summary' }, `${entries.length} operator${entries.length === 1 ? '' : 's'}${Object.keys(query).length > 0 ? ' match' : ''}, ${sum(entries.flatMap((e) => (e.gpus ?? []).map((g) => g.count)))} GPUs`),
    table('operators', [
      ['Operator', (e) => h('span', { class: 'moniker' }, link(e.operator.moniker, 'operator', e.operator.address))],
      ['GPUs', gpus],
      ['Tier', (e) => [...new Set((e.gpus ?? []).map((g) => tier(g.tier)))].join(', ') || '—'],
      ['TEE', (e) => [...new Set((e.gpus ?? []).flatMap((g) => g.tee_types ?? []).map(tee))].join(', ') || '—'],
      ['Trust', (e) => h('span', { class: `trust ${e.trust_level ?? ''}` }, trust(e.trust_level))],
      ['Region', (e) => e.operator.region],
      ['Price / GPU-hour', (e) => (e.price ? coin(e.price.amount, e.price.denom) : '—'), { num: true }],
      ['Serves', (e) => (e.models.length === 0 ? '—' : e.models.map((m, i) => [i > 0 ? ', ' : '', link(m, 'model', m)]))],
      ['Reputation', (e) => String(e.reputation?.score ?? e.operator.reputation ?? 0), { num: true }],
      ['Uptime', (e) => (e.reputation ? bps(e.reputation.uptime_bps) : '—'), { num: true }],
      ['Status', (e) => opStatus(e.operator.status)],
    ], rows, 'none match'),
  );
}

export const market = { title: 'GPU marketplace', controls, render };

async function renderOperator([address], signal) {
  const [o, rep, rewards, serves, batches, challenges, attestations, balance] = await Promise.all([
    get('/cairn/registry/v1/operator', { address }, signal),
    maybe('/cairn/emission/v1/reputation', { operator: address }, signal),
    get('/cairn/emission/v1/operator_rewards', { operator: address }, signal),
    get('/cairn/registry/v1/operator_serves', { operator: address }, signal),
    all('/cairn/receipts/v1/batches', 'batches', { operator: address, 'pagination.reverse': true }, signal, 200),
    get('/cairn/emission/v1/open_challenges', { operator: address }, signal),
    get('/cairn/registry/v1/attestations', { operator: address }, signal),
    get(`/cosmos/bank/v1beta1/balances/${encodeURIComponent(address)}`, {}, signal),
  ]);
  const op = o.operator;
  const faulted = batches.filter((b) => b.fault);
  const settled = batches.filter((b) => b.status === 'BATCH_STATUS_FINALIZED');
  const reputation = rep?.reputation;
  return h(
    'div',
    {},
    h('h2', { class: 'moniker' }, op.moniker),
    facts('operator', [
      ['Address', h('code', {}, op.address)],
      ['Status', `${opStatus(op.status)}${o.active ? ' (in the catalog)' : ''}${op.jailed_until && op.jailed_until !== '0' ? `, jailed until height ${op.jailed_until}` : ''}`],
      ['Bond', op.bond ? coin(op.bond.amount, op.bond.denom) : '—'],
      ['Trust', trust(o.trust_level)],
      ['Region', op.region],
      ['Endpoints', (op.endpoints ?? []).join(' ') || '—'],
      ['Registered at', `height ${op.registered_height}`],
      ['Reputation', reputation ? `${reputation.score} (uptime ${bps(reputation.uptime_bps)}, ${reputation.active_epochs} active epochs, ${reputation.receipts} receipts, ${reputation.challenges_passed} challenges passed)` : 'none yet'],
      ['Faults', `${reputation?.faults ?? faulted.length}`],
      ['Settled earnings', coin(sum(settled.map((b) => b.split?.operator_amount)))],
      ['Emission rewards', coin(sum((rewards.rewards ?? []).map((r) => r.total)))],
      ['Balance', coins(balance.balances)],
    ]),
    section(
      'GPUs',
      table('gpus', [
        ['Id', (g) => g.id],
        ['Model', (g) => g.model],
        ['Count', (g) => String(g.count), { num: true }],
        ['VRAM', (g) => `${g.vram_gb} GB`, { num: true }],
        ['Tier', (g) => tier(g.tier)],
        ['TEE', (g) => (g.tee_types ?? []).map(tee).join(', ') || '—'],
        ['Price / hour', (g) => (g.price_per_hour ? coin(g.price_per_hour.amount, g.price_per_hour.denom) : '—'), { num: true }],
        ['Reservable', (g) => (g.reservable ? 'yes' : 'no')],
      ], o.gpus ?? []),
    ),
    section('Served models', table('served models', [['Model', (s) => link(s.model_id, 'model', s.model_id)], ['Price / unit', (s) => (s.price_per_unit ? coin(s.price_per_unit.amount, s.price_per_unit.denom) : '—'), { num: true }], ['Since', (s) => `height ${s.since_height}`]], serves.offers ?? [])),
    section('Batches', batchTable('operator batches', batches)),
    section('Faults', table('faults', [['Batch', (b) => link(`#${b.id}`, 'batch', b.id)], ['Kind', (b) => enumName(b.fault.kind, 'FAULT_KIND_')], ['Slashed', (b) => (b.fault.slashed ? coin(b.fault.slashed.amount, b.fault.slashed.denom) : '—'), { num: true }], ['Detail', (b) => b.fault.detail], ['Height', (b) => b.fault.height]], faulted)),
    section('Emission rewards', table('rewards', [['Epoch', (r) => r.epoch, { num: true }], ['Receipts', (r) => r.receipts, { num: true }], ['Usage', (r) => coin(r.usage_reward), { num: true }], ['Jobs', (r) => coin(r.jobs_reward), { num: true }], ['Uptime', (r) => coin(r.uptime_reward), { num: true }], ['Total', (r) => coin(r.total), { num: true }]], rewards.rewards ?? [])),
    section('Open capacity challenges', table('capacity challenges', [['Id', (c) => c.id], ['GPU', (c) => c.gpu_id], ['Deadline', (c) => `height ${c.deadline}`], ['Status', (c) => enumName(c.status, 'CHALLENGE_STATUS_')]], challenges.challenges ?? [])),
    section('Attestations', table('attestations', [['GPU', (a) => a.gpu_id], ['TEE', (a) => tee(a.tee_type)], ['Expires', (a) => new Date(Number(a.expires_at) * 1000).toISOString()], ['Submitted', (a) => `height ${a.submitted_height}`]], attestations.attestations ?? [])),
  );
}

export const operator = { title: 'Operator', render: renderOperator };

/** Batches as the settlement view and the operator page list them. */
export function batchTable(label, batches, height) {
  return table(label, [
    ['Batch', (b) => link(`#${b.id}`, 'batch', b.id)],
    ['Status', (b) => h('span', { class: `status ${b.status}` }, enumName(b.status, 'BATCH_STATUS_'))],
    ['Operator', (b) => link(b.operator, 'operator', b.operator)],
    ['Model', (b) => link(b.model_id, 'model', b.model_id)],
    ['Receipts', (b) => b.count ?? '0', { num: true }],
    ['Amount', (b) => (b.amount ? coin(b.amount.amount, b.amount.denom) : '—'), { num: true }],
    ['Epoch', (b) => b.epoch ?? '0', { num: true }],
    ['Dispute window', (b) => disputeLeft(b, height)],
    ['Challenges', (b) => String(b.challenges ?? 0), { num: true }],
  ], batches);
}

export function disputeLeft(b, height) {
  if (b.status !== 'BATCH_STATUS_PENDING') return b.settled_height ? `settled at ${b.settled_height}` : '—';
  if (height === undefined) return `ends at ${b.dispute_end}`;
  const left = Number(b.dispute_end) - height;
  return h('span', { class: 'countdown', 'data-dispute-end': b.dispute_end }, left > 0 ? `${left} blocks left (ends at ${b.dispute_end})` : `ended at ${b.dispute_end}`);
}

