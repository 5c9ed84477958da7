// Models and adapters: the registry's manifests, license, evals, royalty terms and version chain,
// what each has earned (the royalty payouts of finalized batches) and every author's totals (the
// royalty ledger).
import { all, get, maybe } from '../api.js';
import { facts, h, link, section, table } from '../dom.js';
import { b64hex, bps, coin, enumName } from '../format.js';
import { trust } from './market.js';

/** Royalties paid per model id, from the splits of finalized batches. */
export async function royaltiesByModel(signal) {
  const batches = await all('/cairn/receipts/v1/batches', 'batches', { status: 'BATCH_STATUS_FINALIZED' }, signal);
  const out = new Map();
  for (const b of batches) for (const p of b.split?.royalties ?? []) out.set(p.model_id, (out.get(p.model_id) ?? 0n) + BigInt(p.amount));
  return out;
}

const kind = (k) => enumName(k, 'MODEL_KIND_');
const recipients = (m) => (m.recipients ?? []).map((r, i) => [i > 0 ? ', ' : '', link(r.address, 'account', r.address), ` ${bps(r.weight_bps)}`]);

async function render(_params, signal) {
  const [models, earned, ledgers] = await Promise.all([
    all('/cairn/registry/v1/models', 'models', { include_deprecated: true }, signal),
    royaltiesByModel(signal),
    all('/cairn/royalty/v1/ledgers', 'entries', {}, signal),
  ]);
  const authors = new Map();
  for (const m of models) {
    const a = authors.get(m.author) ?? { author: m.author, models: 0, earned: 0n };
    a.models++;
    a.earned += earned.get(m.id) ?? 0n;
    authors.set(m.author, a);
  }
  const ledger = new Map(ledgers.map((e) => [e.recipient, e]));
  return h(
    'div',
    {},
    table('models', [
      ['Model', (m) => h('span', { class: 'model-id' }, link(m.id, 'model', m.id))],
      ['Kind', (m) => kind(m.kind)],
      ['Base', (m) => (m.base_model_id ? link(m.base_model_id, 'model', m.base_model_id) : '—')],
      ['Version', (m) => `v${m.version}${m.deprecated ? ' (deprecated)' : ''}`],
      ['License', (m) => m.license],
      ['Royalty', (m) => bps(m.royalty_bps), { num: true }],
      ['Evals', (m) => String((m.evals ?? []).length), { num: true }],
      ['Author', (m) => link(m.author, 'account', m.author)],
      ['Royalties earned', (m) => coin(earned.get(m.id) ?? 0n), { num: true }],
    ], models),
    section(
      'Authors',
      table('authors', [
        ['Author', (a) => link(a.author, 'account', a.author)],
        ['Models', (a) => String(a.models), { num: true }],
        ['Earned by their models', (a) => coin(a.earned), { num: true }],
        ['Ledger: paid', (a) => coin(ledger.get(a.author)?.paid ?? 0), { num: true }],
        ['Ledger: owed', (a) => coin(ledger.get(a.author)?.owed ?? 0), { num: true }],
      ], [...authors.values()]),
    ),
    section('Royalty ledger', table('royalty ledger', [['Recipient', (e) => link(e.recipient, 'account', e.recipient)], ['Paid', (e) => coin(e.paid, e.denom), { num: true }], ['Owed (off-chain settlement)', (e) => coin(e.owed, e.denom), { num: true }], ['Updated', (e) => `height ${e.updated_height}`]], ledgers)),
  );
}

export const models = { title: 'Models and adapters', render };

async function renderModel([id], signal) {
  const [m, versions, adapters, servers, earned] = await Promise.all([
    get('/cairn/registry/v1/model', { id }, signal),
    maybe('/cairn/registry/v1/model_versions', { id }, signal),
    get('/cairn/registry/v1/adapters', { base_model_id: id, include_deprecated: true }, signal),
    get('/cairn/registry/v1/model_servers', { model_id: id }, signal),
    royaltiesByModel(signal),
  ]);
  const model = m.model;
  return h(
    'div',
    {},
    h('h2', { class: 'model-id' }, model.id),
    facts('manifest', [
      ['Kind', kind(model.kind)],
      model.base_model_id && ['Base model', link(model.base_model_id, 'model', model.base_model_id)],
      ['Author', link(model.author, 'account', model.author)],
      ['Content hash', h('code', {}, model.content_hash)],
      ['License', model.license],
      ['Royalty', `${bps(model.royalty_bps)} of each settled amount`],
      ['Recipients', recipients(model)],
      ['Version', `v${model.version} of ${model.family}${model.deprecated ? ' (deprecated)' : ''}`],
      model.previous_version && ['Previous version', link(model.previous_version, 'model', model.previous_version)],
      model.next_version && ['Next version', link(model.next_version, 'model', model.next_version)],
      ['Registered', `height ${model.registered_height}, updated ${model.updated_height}`],
      ['Royalties earned', coin(earned.get(model.id) ?? 0n)],
    ]),
    section('Evals', table('evals', [['Name', (e) => e.name], ['Hash', (e) => h('code', {}, b64hex(e.hash))], ['URI', (e) => e.uri]], model.evals ?? [])),
    section('Version chain', table('versions', [['Version', (v) => link(`v${v.version}`, 'model', v.id)], ['Id', (v) => v.id], ['License', (v) => v.license], ['Royalty', (v) => bps(v.royalty_bps), { num: true }], ['Deprecated', (v) => (v.deprecated ? 'yes' : 'no')]], versions?.versions ?? [model])),
    section('Adapters', table('adapters', [['Adapter', (a) => link(a.id, 'model', a.id)], ['Author', (a) => link(a.author, 'account', a.author)], ['Royalty', (a) => bps(a.royalty_bps), { num: true }], ['Earned', (a) => coin(earned.get(a.id) ?? 0n), { num: true }]], adapters.adapters ?? [])),
    section('Served by', table('servers', [['Operator', (s) => h('span', { class: 'moniker' }, link(s.moniker, 'operator', s.offer.operator))], ['Region', (s) => s.region], ['Price / unit', (s) => (s.offer.price_per_unit ? coin(s.offer.price_per_unit.amount, s.offer.price_per_unit.denom) : '—'), { num: true }], ['Reputation', (s) => String(s.reputation ?? 0), { num: true }], ['Trust', (s) => trust(s.trust_level)]], servers.servers ?? [])),
  );
}

export const model = { title: 'Model', render: renderModel };
