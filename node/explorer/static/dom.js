// Building the page: every element is made with createElement and every string goes in as a text
// node. Chain-supplied strings (monikers, model names, memos, event values) are attacker-controlled,
// so nothing here ever parses HTML: there is no innerHTML in the explorer.

/**
 * h('a', {href: '#/x', class: 'c'}, 'text', child) → <a href="#/x" class="c">text…</a>.
 * Attributes are set one by one; `on` takes event handlers (functions, never strings).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') for (const [type, fn] of Object.entries(v)) el.addEventListener(type, fn);
    else if (k.startsWith('on')) throw new Error(`use {on: {${k.slice(2)}: fn}}, not ${k}`);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element, attributes as in h(). */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

/** A link inside the explorer: #/<parts…>, each part URI-encoded. */
export function link(text, ...parts) {
  return h('a', { href: route(...parts) }, text);
}

export function route(...parts) {
  return `#/${parts.map((p) => encodeURIComponent(String(p))).join('/')}`;
}

/**
 * A table: `columns` are [heading, (row) => cell content, {num: true}?]. `label` names it for screen
 * readers (and tests: data-table).
 */
export function table(label, columns, rows, empty = 'none yet') {
  if (rows.length === 0) return h('p', { class: 'empty', 'data-table': label }, `${label}: ${empty}`);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-table': label },
      h('caption', {}, label),
      h('thead', {}, h('tr', {}, columns.map(([head, , o]) => h('th', { scope: 'col', class: o?.num ? 'num' : undefined }, head)))),
      h('tbody', {}, rows.map((row) => h('tr', {}, columns.map(([, cell, o]) => h('td', { class: o?.num ? 'num' : undefined }, cell(row)))))),
    ),
  );
}

/** A definition list of [term, value] pairs. */
export function facts(label, pairs) {
  return h('dl', { class: 'facts', 'aria-label': label, 'data-facts': label }, pairs.filter(Boolean).map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))));
}

export function section(title, ...children) {
  return h('section', { 'aria-label': title }, h('h2', {}, title), ...children);
}

/** Any decoded JSON value (a tx's messages, an event) as nested lists of text. */
export function tree(value) {
  if (value === null || typeof value !== 'object') return h('span', { class: 'value' }, value === null ? 'null' : String(value));
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  if (entries.length === 0) return h('span', { class: 'value' }, Array.isArray(value) ? '[]' : '{}');
  return h('ul', { class: 'tree' }, entries.map(([k, v]) => h('li', {}, h('span', { class: 'key' }, k), ' ', tree(v))));
}
