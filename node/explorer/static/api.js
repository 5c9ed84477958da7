// Reading the chain: GET api/<REST path> on the page's own server, which passes it to the node's
// REST gateway (node/explorer/server.ts). Nothing else is read, nothing is ever sent.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code;
  }
}

/** GET a REST path with query parameters; parameters that are '' or undefined are left out. */
export function get(path, params = {}, signal) {
  return request(path, params, signal, false);
}

/** Like get(), but a NotFound (something not there yet) is `undefined` rather than an error. */
export function maybe(path, params = {}, signal) {
  return request(path, params, signal, true);
}

async function request(path, params, signal, absentOk) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '' || v === null) continue;
    for (const one of Array.isArray(v) ? v : [v]) qs.append(k, String(one));
  }
  const q = qs.toString();
  // The page's server answers an expected NotFound with 200 and the node's status in a header, so
  // the browser's console stays for real failures (node/explorer/server.ts).
  const headers = absentOk ? { accept: 'application/json', 'x-explorer-absent-ok': '1' } : { accept: 'application/json' };
  const r = await fetch(`api${path}${q === '' ? '' : `?${q}`}`, { signal, headers });
  const body = await r.json().catch(() => undefined);
  if (absentOk && r.headers.get('x-upstream-status') === '404') return undefined;
  if (!r.ok) throw new ApiError(r.status, body);
  return body;
}

/** Every page of a paginated list, up to `max` items (the key names the list in the answer). */
export async function all(path, key, params = {}, signal, max = 1000) {
  const out = [];
  let next;
  do {
    const r = await get(path, { ...params, 'pagination.limit': 200, 'pagination.key': next }, signal);
    out.push(...(r[key] ?? []));
    next = r.pagination?.next_key || undefined;
  } while (next !== undefined && out.length < max);
  return out;
}

/** The latest block's height (a number) and time. */
export async function latest(signal) {
  const b = await get('/cosmos/base/tendermint/v1beta1/blocks/latest', {}, signal);
  const header = (b.sdk_block ?? b.block).header;
  return { height: Number(header.height), time: new Date(header.time), block: b };
}
