// Numbers and names as people read them. Amounts stay exact: bigint arithmetic on the chain's strings.

const MICRO = 1_000_000n;

/** "12345678" ucairn → "12.345678 CAIRN"; other denoms as they are. */
export function coin(amount, denom = 'ucairn') {
  if (amount === undefined || amount === null || amount === '') return '0 CAIRN';
  const n = BigInt(amount);
  if (denom !== 'ucairn') return `${grouped(n)} ${denom}`;
  const sign = n < 0n ? '-' : '';
  const a = n < 0n ? -n : n;
  const frac = (a % MICRO).toString().padStart(6, '0').replace(/0+$/, '');
  return `${sign}${grouped(a / MICRO)}${frac === '' ? '' : `.${frac}`} CAIRN`;
}

export function coins(list) {
  if (!list || list.length === 0) return '0 CAIRN';
  return list.map((c) => coin(c.amount, c.denom)).join(', ');
}

export function grouped(n) {
  return BigInt(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 2500 bps → "25%". */
export function bps(n) {
  const v = Number(n ?? 0) / 100;
  return `${Number.isInteger(v) ? v : v.toFixed(2)}%`;
}

/** "GPU_TIER_DATACENTER" → "datacenter" (the enum's prefix dropped). */
export function enumName(value, prefix) {
  if (value === undefined || value === null) return '—';
  return String(value).replace(prefix, '').toLowerCase().replace(/_/g, ' ');
}

/** A long hex or bech32 string shortened for a table cell; the full one in the title. */
export function short(text, keep = 10) {
  const t = String(text ?? '');
  return t.length <= keep * 2 + 1 ? t : `${t.slice(0, keep)}…${t.slice(-6)}`;
}

/** base64 (how the gateway writes bytes) → hex. */
export function b64hex(b64) {
  if (!b64) return '';
  const bin = atob(b64);
  let out = '';
  for (let i = 0; i < bin.length; i++) out += bin.charCodeAt(i).toString(16).padStart(2, '0');
  return out;
}

export function sum(values) {
  return values.reduce((n, v) => n + BigInt(v ?? 0), 0n);
}

export function time(text) {
  if (!text) return '—';
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? String(text) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
