// Receipts and settlement: batches by state, the dispute windows of pending ones counting down in
// blocks, and every challenge with its outcome; one batch's page.
import { all, get, latest } from '../api.js';
import { facts, h, link, section, table } from '../dom.js';
import { b64hex, coin, enumName, sum } from '../format.js';
import { batchTable, disputeLeft } from './market.js';

const STATES = ['BATCH_STATUS_PENDING', 'BATCH_STATUS_FINALIZED', 'BATCH_STATUS_REJECTED'];

function challengeTable(records) {
  return table('challenges', [
    ['Batch', (c) => link(`#${c.batch_id}`, 'batch', c.batch_id)],
    ['Kind', (c) => enumName(c.kind, 'CHALLENGE_KIND_')],
    ['Challenger', (c) => link(c.challenger, 'account', c.challenger)],
    ['Height', (c) => c.height, { num: true }],
    ['Leaf', (c) => (c.kind?.includes('REQUEST') ? c.index : '—'), { num: true }],
    ['Outcome', (c) => h('span', { class: `outcome ${c.outcome}` }, c.outcome || '—')],
  ], records);
}

async function render(_params, signal) {
  const [tip, batches, operators] = await Promise.all([latest(signal), all('/cairn/receipts/v1/batches', 'batches', { 'pagination.reverse': true }, signal), get('/cairn/registry/v1/operators', { include_inactive: true, 'pagination.limit': 100 }, signal)]);
  const by = (s) => batches.filter((b) => b.status === s);
  const challenged = batches.filter((b) => Number(b.challenges ?? 0) > 0 || Number(b.open_requests ?? 0) > 0).slice(0, 20);
  const details = await Promise.all(challenged.map((b) => get('/cairn/receipts/v1/batch', { id: b.id }, signal)));
  const capacity = await Promise.all((operators.operators ?? []).map((e) => get('/cairn/emission/v1/open_challenges', { operator: e.operator.address }, signal)));
  return h(
    'div',
    {},
    facts('batches by state', [
      ['Height', String(tip.height)],
      ['Pending', String(by(STATES[0]).length)],
      ['Finalized', String(by(STATES[1]).length)],
      ['Faulted (rejected)', String(by(STATES[2]).length)],
      ['Settled through batches', coin(sum(by(STATES[1]).map((b) => b.amount?.amount)))],
    ]),
    section('Pending: dispute windows', batchTable('pending batches', by(STATES[0]), tip.height)),
    section('Batch challenges and outcomes', challengeTable(details.flatMap((d) => d.challenges ?? []))),
    section('Open capacity challenges', table('open capacity challenges', [['Id', (c) => c.id], ['Operator', (c) => link(c.operator, 'operator', c.operator)], ['GPU', (c) => `${c.gpu_count}× ${c.gpu_id}`], ['Deadline', (c) => `${Number(c.deadline) - tip.height} blocks left (height ${c.deadline})`]], capacity.flatMap((c) => c.challenges ?? []))),
    section('All batches', batchTable('batches', batches.slice(0, 100), tip.height)),
  );
}

export const settlement = { title: 'Receipts and settlement', render };

async function renderBatch([id], signal) {
  const [tip, r] = await Promise.all([latest(signal), get('/cairn/receipts/v1/batch', { id }, signal)]);
  const b = r.batch;
  const split = b.split;
  return h(
    'div',
    {},
    h('h2', {}, `Batch #${b.id}`),
    facts('batch', [
      ['Status', h('span', { class: `status ${b.status}` }, enumName(b.status, 'BATCH_STATUS_'))],
      ['Operator', link(b.operator, 'operator', b.operator)],
      ['Payer', link(b.payer, 'account', b.payer)],
      ['Model', link(b.model_id, 'model', b.model_id)],
      b.adapter_id && ['Adapter', link(b.adapter_id, 'model', b.adapter_id)],
      ['Epoch', b.epoch ?? '0'],
      ['Receipts', b.count ?? '0'],
      ['Units', b.units ?? '0'],
      ['Amount', b.amount ? coin(b.amount.amount, b.amount.denom) : '—'],
      ['Settlement', enumName(b.mode, 'SETTLEMENT_MODE_')],
      ['Merkle root', h('code', {}, b64hex(b.root))],
      ['Submitted', `height ${b.submitted_height}`],
      ['Dispute window', disputeLeft(b, tip.height)],
      ['Sample', (b.sample ?? []).map((s) => `${s.index}${s.revealed ? ' (revealed)' : ''}`).join(', ') || '—'],
      b.fault && ['Fault', `${enumName(b.fault.kind, 'FAULT_KIND_')}: ${b.fault.detail}; slashed ${b.fault.slashed ? coin(b.fault.slashed.amount) : '—'}${b.fault.tombstoned ? ', tombstoned' : ''}`],
    ]),
    split &&
      section(
        'Split',
        facts('split', [
          ['Fee burned', coin(split.fee_burned, split.denom)],
          ['Fee to treasury', coin(split.fee_treasury, split.denom)],
          ['Operator', coin(split.operator_amount, split.denom)],
          ...(split.royalties ?? []).map((p) => [`Royalty (${p.model_id})`, [link(p.address, 'account', p.address), ` ${coin(p.amount, split.denom)}`]]),
        ]),
      ),
    section('Challenges', challengeTable(r.challenges ?? [])),
    section('Open data requests', table('data requests', [['Leaf', (q) => q.index], ['Requester', (q) => q.requester ?? '—'], ['Deadline', (q) => q.deadline ?? '—']], r.requests ?? [])),
  );
}

export const batch = { title: 'Batch', render: renderBatch };
