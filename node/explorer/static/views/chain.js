// The chain: latest blocks and transactions, validators (voting power, uptime over the slashing
// window, jailing and slashes), governance proposals and their tallies; a block's, a transaction's
// (decoded messages, events, result code) and an account's page.
import { all, get, latest, maybe } from '../api.js';
import { facts, h, link, section, table, tree } from '../dom.js';
import { b64hex, coin, coins, enumName, grouped, short, time } from '../format.js';

const BLOCKS = 10;
const TXS = 20;

function msgTypes(tx) {
  return (tx?.body?.messages ?? []).map((m) => String(m['@type'] ?? '').split('.').pop()).join(', ');
}

export function txTable(label, responses) {
  return table(label, [
    ['Hash', (r) => h('code', { title: r.txhash }, link(short(r.txhash, 8), 'tx', r.txhash))],
    ['Height', (r) => link(r.height, 'block', r.height), { num: true }],
    ['Messages', (r) => msgTypes(r.tx)],
    ['Result', (r) => (r.code === 0 ? 'ok' : h('span', { class: 'failed' }, `code ${r.code} (${r.codespace})`))],
    ['Memo', (r) => h('span', { class: 'memo' }, r.tx?.body?.memo ?? '')],
    ['Time', (r) => time(r.timestamp)],
  ], responses);
}

export async function recentTxs(query, limit, signal) {
  const r = await get('/cosmos/tx/v1beta1/txs', { query, order_by: 'ORDER_BY_DESC', 'pagination.limit': limit }, signal);
  return r.tx_responses ?? [];
}

async function validators(signal) {
  const [vals, set, infos, slashing] = await Promise.all([
    all('/cosmos/staking/v1beta1/validators', 'validators', {}, signal),
    get('/cosmos/base/tendermint/v1beta1/validatorsets/latest', { 'pagination.limit': 200 }, signal),
    all('/cosmos/slashing/v1beta1/signing_infos', 'info', {}, signal),
    get('/cosmos/slashing/v1beta1/params', {}, signal),
  ]);
  // A validator's consensus address, found by its consensus key in the current set.
  const cons = new Map((set.validators ?? []).map((v) => [v.pub_key?.key, v]));
  const info = new Map(infos.map((i) => [i.address, i]));
  const window = Number(slashing.params.signed_blocks_window);
  const slashes = await Promise.all(vals.map((v) => get(`/cosmos/distribution/v1beta1/validators/${v.operator_address}/slashes`, {}, signal).catch(() => ({ slashes: [] }))));
  return vals
    .map((v, i) => {
      const c = cons.get(v.consensus_pubkey?.key);
      const si = c ? info.get(c.address) : undefined;
      const signedOf = si ? Math.min(window, Math.max(1, Number(si.index_offset))) : 0;
      return { v, power: c?.voting_power ?? '0', info: si, uptime: si ? (1 - Number(si.missed_blocks_counter) / signedOf) * 100 : undefined, slashes: slashes[i].slashes ?? [] };
    })
    .sort((a, b) => Number(BigInt(b.v.tokens) - BigInt(a.v.tokens)));
}

function validatorTable(rows) {
  return table('validators', [
    ['Validator', (r) => h('span', { class: 'moniker' }, r.v.description?.moniker ?? '')],
    ['Operator address', (r) => h('code', { title: r.v.operator_address }, short(r.v.operator_address))],
    ['Voting power', (r) => grouped(r.power), { num: true }],
    ['Bonded', (r) => coin(r.v.tokens), { num: true }],
    ['Status', (r) => `${enumName(r.v.status, 'BOND_STATUS_')}${r.v.jailed ? ', jailed' : ''}${r.info?.tombstoned ? ', tombstoned' : ''}`],
    ['Uptime (window)', (r) => (r.uptime === undefined ? '—' : `${r.uptime.toFixed(2)}%`), { num: true }],
    ['Missed', (r) => r.info?.missed_blocks_counter ?? '—', { num: true }],
    ['Slashes', (r) => String(r.slashes.length), { num: true }],
    ['Commission', (r) => `${(Number(r.v.commission?.commission_rates?.rate ?? 0) * 100).toFixed(1)}%`, { num: true }],
  ], rows);
}

function proposalTable(proposals) {
  const tally = (p) => {
    const t = p.final_tally_result ?? {};
    return `yes ${coin(t.yes_count)} · no ${coin(t.no_count)} · veto ${coin(t.no_with_veto_count)} · abstain ${coin(t.abstain_count)}`;
  };
  return table('proposals', [
    ['Id', (p) => link(`#${p.id}`, 'proposal', p.id)],
    ['Title', (p) => h('span', { class: 'title' }, p.title ?? '')],
    ['Status', (p) => enumName(p.status, 'PROPOSAL_STATUS_')],
    ['Tally', tally],
    ['Voting ends', (p) => time(p.voting_end_time)],
  ], proposals);
}

async function render(_params, signal) {
  const tip = await latest(signal);
  const heights = Array.from({ length: Math.min(BLOCKS, tip.height) }, (_, i) => tip.height - i);
  const [blocks, txs, vals, proposals] = await Promise.all([
    Promise.all(heights.map((n) => (n === tip.height ? tip.block : get(`/cosmos/base/tendermint/v1beta1/blocks/${n}`, {}, signal)))),
    recentTxs('tx.height>0', TXS, signal),
    validators(signal),
    get('/cosmos/gov/v1/proposals', { 'pagination.limit': 50, 'pagination.reverse': true }, signal),
  ]);
  // Open proposals: the running tally (the final one is set when voting ends).
  const open = (proposals.proposals ?? []).filter((p) => p.status === 'PROPOSAL_STATUS_VOTING_PERIOD');
  const tallies = await Promise.all(open.map((p) => get(`/cosmos/gov/v1/proposals/${p.id}/tally`, {}, signal)));
  open.forEach((p, i) => (p.final_tally_result = tallies[i].tally));
  return h(
    'div',
    {},
    facts('chain', [
      ['Chain id', tip.block.block.header.chain_id],
      ['Height', String(tip.height)],
      ['Latest block time', time(tip.block.block.header.time)],
      ['Validators', String(vals.length)],
    ]),
    section(
      'Latest blocks',
      table('blocks', [
        ['Height', (b) => link(b.block.header.height, 'block', b.block.header.height), { num: true }],
        ['Time', (b) => time(b.block.header.time)],
        ['Txs', (b) => String((b.block.data?.txs ?? []).length), { num: true }],
        ['Proposer', (b) => h('code', {}, short(b.sdk_block?.header?.proposer_address ?? b64hex(b.block.header.proposer_address), 8))],
        ['Hash', (b) => h('code', {}, short(b64hex(b.block_id.hash), 8))],
      ], blocks),
    ),
    section('Latest transactions', txTable('transactions', txs)),
    section('Validators', validatorTable(vals)),
    section('Governance', proposalTable(proposals.proposals ?? [])),
  );
}

export const chain = { title: 'Chain', render };

async function renderBlock([height], signal) {
  const b = await get(`/cosmos/base/tendermint/v1beta1/blocks/${encodeURIComponent(height)}`, {}, signal);
  const txs = await recentTxs(`tx.height=${Number(height)}`, 100, signal);
  const header = b.block.header;
  return h(
    'div',
    {},
    h('h2', {}, `Block ${header.height}`),
    facts('block', [
      ['Hash', h('code', {}, b64hex(b.block_id.hash))],
      ['Time', time(header.time)],
      ['Proposer', h('code', {}, b.sdk_block?.header?.proposer_address ?? b64hex(header.proposer_address))],
      ['App hash', h('code', {}, b64hex(header.app_hash))],
      ['Transactions', String((b.block.data?.txs ?? []).length)],
      ['Signatures', String((b.block.last_commit?.signatures ?? []).filter((s) => s.block_id_flag === 'BLOCK_ID_FLAG_COMMIT').length)],
    ]),
    h('p', {}, Number(header.height) > 1 ? link('← previous block', 'block', Number(header.height) - 1) : null, ' ', link('next block →', 'block', Number(header.height) + 1)),
    section('Transactions', txTable('block transactions', txs)),
  );
}

export const block = { title: 'Block', render: renderBlock };

async function renderTx([hash], signal) {
  const r = await get(`/cosmos/tx/v1beta1/txs/${encodeURIComponent(hash)}`, {}, signal);
  const t = r.tx_response;
  return h(
    'div',
    {},
    h('h2', {}, 'Transaction'),
    facts('transaction', [
      ['Hash', h('code', { 'data-txhash': t.txhash }, t.txhash)],
      ['Height', link(t.height, 'block', t.height)],
      ['Result', t.code === 0 ? 'ok (code 0)' : h('span', { class: 'failed' }, `failed: code ${t.code} in ${t.codespace}`)],
      t.code !== 0 && ['Log', h('pre', { class: 'log' }, t.raw_log)],
      ['Gas', `${grouped(t.gas_used)} used of ${grouped(t.gas_wanted)}`],
      ['Fee', coins(r.tx.auth_info?.fee?.amount)],
      ['Memo', h('span', { class: 'memo' }, r.tx.body?.memo ?? '')],
      ['Time', time(t.timestamp)],
    ]),
    section('Messages', h('ol', { class: 'messages' }, (r.tx.body?.messages ?? []).map((m) => h('li', {}, h('h3', {}, String(m['@type'])), tree(Object.fromEntries(Object.entries(m).filter(([k]) => k !== '@type'))))))),
    section(
      'Events',
      table('events', [
        ['Type', (e) => e.type],
        ['Attributes', (e) => h('ul', { class: 'attrs' }, (e.attributes ?? []).map((a) => h('li', {}, h('span', { class: 'key' }, a.key), ' = ', h('span', { class: 'value' }, a.value))))],
      ], t.events ?? []),
    ),
  );
}

export const tx = { title: 'Transaction', render: renderTx };

async function renderAccount([address], signal) {
  const [balances, account, escrow, operator, ledger, sent, received] = await Promise.all([
    get(`/cosmos/bank/v1beta1/balances/${encodeURIComponent(address)}`, {}, signal),
    maybe(`/cosmos/auth/v1beta1/accounts/${encodeURIComponent(address)}`, {}, signal),
    maybe('/cairn/receipts/v1/escrow', { payer: address }, signal),
    maybe('/cairn/registry/v1/operator', { address }, signal),
    maybe('/cairn/royalty/v1/ledger', { recipient: address }, signal),
    recentTxs(`message.sender='${address}'`, 20, signal),
    recentTxs(`transfer.recipient='${address}'`, 20, signal),
  ]);
  const e = escrow?.escrow;
  return h(
    'div',
    {},
    h('h2', {}, 'Account'),
    facts('account', [
      ['Address', h('code', {}, address)],
      ['Balance', coins(balances.balances)],
      ['Account number', account?.account?.account_number ?? account?.account?.base_account?.account_number ?? '—'],
      operator?.operator && ['Operator', link(operator.operator.moniker, 'operator', address)],
      e && ['Escrow', `${coin(e.available, e.denom)} available, ${coin(e.locked, e.denom)} locked`],
      ledger?.entry && ['Royalties', `${coin(ledger.entry.paid, ledger.entry.denom)} paid, ${coin(ledger.entry.owed, ledger.entry.denom)} owed`],
    ]),
    section('Transactions sent', txTable('sent', sent)),
    section('Transfers received', txTable('received', received)),
  );
}

export const account = { title: 'Account', render: renderAccount };

async function renderProposal([id], signal) {
  const [p, tally] = await Promise.all([get(`/cosmos/gov/v1/proposals/${encodeURIComponent(id)}`, {}, signal), maybe(`/cosmos/gov/v1/proposals/${encodeURIComponent(id)}/tally`, {}, signal)]);
  const prop = p.proposal;
  const t = tally?.tally ?? prop.final_tally_result ?? {};
  return h(
    'div',
    {},
    h('h2', { class: 'title' }, `Proposal #${prop.id}: ${prop.title ?? ''}`),
    facts('proposal', [
      ['Status', enumName(prop.status, 'PROPOSAL_STATUS_')],
      ['Proposer', link(prop.proposer, 'account', prop.proposer)],
      ['Summary', h('span', { class: 'summary' }, prop.summary ?? '')],
      ['Deposit', coins(prop.total_deposit)],
      ['Voting', `${time(prop.voting_start_time)} to ${time(prop.voting_end_time)}`],
      ['Yes', coin(t.yes_count)],
      ['No', coin(t.no_count)],
      ['No with veto', coin(t.no_with_veto_count)],
      ['Abstain', coin(t.abstain_count)],
    ]),
    section('Messages', tree(prop.messages ?? [])),
  );
}

export const proposal = { title: 'Proposal', render: renderProposal };
