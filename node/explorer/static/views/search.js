// Search by address, tx hash, height, batch id, operator (address or moniker) or model: every
// reading of the words is tried; one hit opens its page, several are listed.
import { all, get, maybe } from '../api.js';
import { h, route } from '../dom.js';

async function hits(q, signal) {
  const out = [];
  const tries = [];
  if (/^\d{1,19}$/.test(q)) {
    tries.push(maybe(`/cosmos/base/tendermint/v1beta1/blocks/${q}`, {}, signal).then((b) => b && out.push(['block', `Block ${q}`, route('block', q)])).catch(() => undefined));
    tries.push(maybe('/cairn/receipts/v1/batch', { id: q }, signal).then((b) => b && out.push(['batch', `Batch #${q}`, route('batch', q)])).catch(() => undefined));
    tries.push(maybe(`/cosmos/gov/v1/proposals/${q}`, {}, signal).then((p) => p && out.push(['proposal', `Proposal #${q}`, route('proposal', q)])).catch(() => undefined));
  }
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(q)) {
    const hash = q.replace(/^0x/, '').toUpperCase();
    tries.push(maybe(`/cosmos/tx/v1beta1/txs/${hash}`, {}, signal).then((t) => t && out.push(['tx', `Transaction ${hash}`, route('tx', hash)])).catch(() => undefined));
  }
  if (/^cairn1[02-9ac-hj-np-z]{38,58}$/.test(q.toLowerCase())) {
    const address = q.toLowerCase();
    out.push(['account', `Account ${address}`, route('account', address)]);
    tries.push(maybe('/cairn/registry/v1/operator', { address }, signal).then((o) => o?.operator && out.unshift(['operator', `Operator ${o.operator.moniker}`, route('operator', address)])).catch(() => undefined));
  }
  const words = q.toLowerCase();
  tries.push(
    get('/cairn/registry/v1/operators', { include_inactive: true, 'pagination.limit': 200 }, signal).then((r) => {
      for (const e of r.operators ?? []) if (e.operator.moniker.toLowerCase().includes(words)) out.push(['operator', `Operator ${e.operator.moniker}`, route('operator', e.operator.address)]);
    }),
  );
  tries.push(
    all('/cairn/registry/v1/models', 'models', { include_deprecated: true }, signal).then((models) => {
      for (const m of models) if (m.id.toLowerCase().includes(words)) out.push(['model', `Model ${m.id}`, route('model', m.id)]);
    }),
  );
  await Promise.all(tries);
  // One operator found twice (by address and by moniker) is one hit.
  return [...new Map(out.map((x) => [x[2], x])).values()];
}

async function render([q], signal) {
  const words = (q ?? '').trim();
  if (words === '') return h('p', {}, 'Type an address, a transaction hash, a height, an operator or a model in the search box.');
  const found = await hits(words, signal);
  if (found.length === 1) {
    location.replace(found[0][2]);
    return h('p', {}, 'Opening ', h('a', { href: found[0][2] }, found[0][1]), '…');
  }
  if (found.length === 0) return h('p', { class: 'empty', 'data-search': 'none' }, 'Nothing on chain matches ', h('q', {}, words), '.');
  return h('ul', { class: 'results', 'data-search': 'results' }, found.map(([kind, text, href]) => h('li', {}, h('span', { class: 'kind' }, kind), ' ', h('a', { href }, text))));
}

export const search = { title: 'Search', render, once: true };
