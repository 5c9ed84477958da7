// The explorer: a hash router over the views, each re-read from the chain every few seconds while
// it is open. Keyboard: every control is a link, button or form field; "/" jumps to search.
import { h } from './dom.js';
import { market, operator } from './views/market.js';
import { model, models } from './views/models.js';
import { batch, settlement } from './views/settlement.js';
import { economics } from './views/economics.js';
import { account, block, chain, proposal, tx } from './views/chain.js';
import { search } from './views/search.js';

const POLL_MS = 5000;

/** #/<name>/<args…>?<params> → its view. */
const VIEWS = { market, operator, models, model, settlement, batch, economics, chain, block, tx, account, proposal, search };
/** Which tab of the navigation a view belongs to. */
const TAB = { operator: 'market', model: 'models', batch: 'settlement', block: 'chain', tx: 'chain', account: 'chain', proposal: 'chain' };

const main = document.getElementById('main');
const status = document.getElementById('status');
let current;

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const parts = path.split('/').filter((p) => p !== '').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const name = parts[0] ?? 'market';
  return { name, args: parts.slice(1), params: new URLSearchParams(query) };
}

function show() {
  current?.abort();
  const ctrl = new AbortController();
  current = ctrl;
  const { name, args, params } = parseHash();
  const view = VIEWS[name];
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.view === (TAB[name] ?? name)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (view === undefined) {
    main.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, 'No such view. ', h('a', { href: '#/market' }, 'Back to the marketplace')));
    return;
  }
  document.title = `${view.title} · Cairn explorer`;
  // data-hash names the address this view was drawn for: the address changes before the
  // hashchange event redraws, so a reader waiting on aria-busy alone could read the view before.
  const data = h('div', { class: 'data', 'data-view': name, 'data-hash': location.hash, 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Loading…'));
  main.replaceChildren(h('h1', { tabindex: '-1' }, view.title), view.controls ? view.controls(params) : '', data);
  void poll(view, args.length > 0 ? args : params, data, ctrl.signal);
}

async function poll(view, arg, data, signal) {
  while (!signal.aborted) {
    // A tab in the background asks the node nothing; someone reading with the keyboard inside the
    // data keeps it as it is. Either way the next round tries again.
    const idle = document.hidden || data.contains(document.activeElement);
    if (!idle || data.getAttribute('aria-busy') === 'true') {
      try {
        const node = await view.render(arg, signal);
        if (signal.aborted) return;
        data.replaceChildren(node);
        data.removeAttribute('data-error');
        status.textContent = `updated ${new Date().toLocaleTimeString()}`;
      } catch (err) {
        if (signal.aborted) return;
        data.setAttribute('data-error', 'true');
        data.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Could not read the chain: ${err.message}`));
      }
      data.setAttribute('aria-busy', 'false');
      data.dataset.rendered = String(Number(data.dataset.rendered ?? 0) + 1);
    }
    if (view.once) return;
    await new Promise((resolve) => {
      const t = setTimeout(resolve, POLL_MS);
      signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}

const form = document.getElementById('search');
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const q = form.elements.namedItem('q').value.trim();
  if (q !== '') location.hash = `#/search/${encodeURIComponent(q)}`;
});
document.addEventListener('keydown', (e) => {
  if (e.key === '/' && !['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement?.tagName ?? '')) {
    e.preventDefault();
    form.elements.namedItem('q').focus();
  }
});
window.addEventListener('hashchange', () => {
  show();
  main.querySelector('h1')?.focus();
});
show();
