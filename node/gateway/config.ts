// The gateways' sections of the node home's app.toml, [operator-gateway] (`cairn operator serve`)
// and [payer-gateway] (`cairn payer serve`): one key per command-line flag, of the same name (lists
// in the plural), so that a gateway runs from its home with no flag and any flag overrides its key.
// Read strictly: a key the section does not have, or a value of the wrong type, is an error naming
// the key, never ignored. What each value means (a coin, host:port, a URL) is checked where the
// flag's is, with the key named as its source.
import { isAbsolute, join } from 'node:path';
import { readTomlValue, tomlSectionKeys } from '../cometbft/toml.ts';

/** Where each gateway listens by default (`cairn operator status` looks there). */
export const DEFAULT_OPERATOR_LISTEN = '127.0.0.1:8480';
export const DEFAULT_PAYER_LISTEN = '127.0.0.1:8100';

export type GatewaySection = 'operator-gateway' | 'payer-gateway';

/** string: one value, "" = not set; path: a string relative to the home; int: a whole number >= 0; list: strings. */
type Kind = 'string' | 'path' | 'int' | 'list';

interface KeySpec {
  readonly key: string;
  /** The command-line flag it stands for. */
  readonly flag: string;
  readonly kind: Kind;
  readonly default: string | number | readonly string[];
  /** The comment above it in the app.toml cairn init writes. */
  readonly doc: string;
}

const OPERATOR_KEYS: readonly KeySpec[] = [
  { key: 'upstream', flag: 'upstream', kind: 'string', default: '', doc: 'The OpenAI base URL of your inference server: http://127.0.0.1:8000/v1 (vLLM), :8080/v1 (llama.cpp), :11434/v1 (Ollama).' },
  { key: 'upstream-api-key', flag: 'upstream-api-key', kind: 'string', default: '', doc: 'Sent to the upstream as a bearer token, if it wants one.' },
  { key: 'key', flag: 'key', kind: 'string', default: '', doc: 'The operator account’s key in the keyring: pays fees, submits batches and reveals.' },
  { key: 'receipt-key', flag: 'receipt-key', kind: 'path', default: '', doc: 'The registered receipt key seed (cairn receipts keygen), relative to the home.' },
  { key: 'listen', flag: 'listen', kind: 'string', default: DEFAULT_OPERATOR_LISTEN, doc: 'Where the gateway listens (host:port).' },
  { key: 'model-map', flag: 'model-map', kind: 'list', default: [], doc: 'The upstream’s name for an on-chain offer: ["acme/llama-3.1-8b=meta-llama/Llama-3.1-8B-Instruct"].' },
  { key: 'credit-limit', flag: 'credit-limit', kind: 'string', default: '10000000ucairn', doc: 'Most a payer may owe in receipts it has not co-signed.' },
  { key: 'batch-size', flag: 'batch-size', kind: 'int', default: 1000, doc: 'Cut a batch at this many co-signed receipts …' },
  { key: 'batch-age', flag: 'batch-age', kind: 'int', default: 60, doc: '… or when its oldest receipt is this many seconds old.' },
  { key: 'peers', flag: 'peer', kind: 'list', default: [], doc: 'Nodes’ libp2p addresses with /p2p/<peer id> that batches are gossiped to.' },
  { key: 'data', flag: 'data', kind: 'path', default: 'data/operator-gateway', doc: 'The gateway’s LevelDB, relative to the home.' },
  { key: 'gas-prices', flag: 'gas-prices', kind: 'string', default: '0.025ucairn', doc: 'What its transactions pay per gas.' },
];

const PAYER_KEYS: readonly KeySpec[] = [
  { key: 'from', flag: 'from', kind: 'string', default: '', doc: 'The payer account: a keyring key name (needed for top-ups) or its address.' },
  { key: 'payer-key', flag: 'payer-key', kind: 'path', default: '', doc: 'The seed of a payer key the account authorised (cairn receipts keygen), relative to the home.' },
  { key: 'listen', flag: 'listen', kind: 'string', default: DEFAULT_PAYER_LISTEN, doc: 'Where applications connect (host:port).' },
  { key: 'data', flag: 'data', kind: 'path', default: 'data/payer-gateway', doc: 'The gateway’s LevelDB, relative to the home.' },
  { key: 'max-price', flag: 'max-price', kind: 'string', default: '', doc: 'Highest price per unit to pay, e.g. "3ucairn" (its denom is the escrow’s); "": any.' },
  { key: 'min-trust', flag: 'min-trust', kind: 'string', default: '', doc: 'Only operators of this trust level or above: none, self-declared or verified-tee; "": any.' },
  { key: 'regions', flag: 'region', kind: 'list', default: [], doc: 'Only operators in these regions; []: any.' },
  { key: 'min-reputation', flag: 'min-reputation', kind: 'int', default: 0, doc: 'Only operators with at least this reputation.' },
  { key: 'endpoints', flag: 'endpoint', kind: 'list', default: [], doc: 'Reach an operator’s gateway here instead of its registered endpoint: ["cairn1…=http://10.0.0.5:8480"].' },
  { key: 'attempts', flag: 'attempts', kind: 'int', default: 3, doc: 'Operators tried per request.' },
  { key: 'set-aside', flag: 'set-aside', kind: 'int', default: 1, doc: 'An operator that fails (no answer, an HTTP error) is not picked for this many seconds, doubled at each failure in a row …' },
  { key: 'set-aside-max', flag: 'set-aside-max', kind: 'int', default: 60, doc: '… up to this many; its first answer after that starts it again.' },
  { key: 'set-aside-dishonest', flag: 'set-aside-dishonest', kind: 'int', default: 3600, doc: 'An operator whose receipt or batch fails the checks (wrong price, units, hashes, signature) is not picked for this many seconds.' },
  { key: 'top-up-below', flag: 'top-up-below', kind: 'string', default: '', doc: 'Deposit escrow when the available escrow falls below this, e.g. "10000000ucairn"; "": never.' },
  { key: 'top-up', flag: 'top-up', kind: 'string', default: '', doc: 'How much each deposit adds.' },
  { key: 'gas-prices', flag: 'gas-prices', kind: 'string', default: '0.025ucairn', doc: 'What a top-up pays per gas (unless --fees or --gas-prices is given).' },
];

const SPECS: Record<GatewaySection, readonly KeySpec[]> = { 'operator-gateway': OPERATOR_KEYS, 'payer-gateway': PAYER_KEYS };

const SECTION_DOC: Record<GatewaySection, string> = {
  'operator-gateway': '# `cairn operator serve` (docs/operator-guide.md): the OpenAI-compatible gateway in front of your inference\n# server. Each key is the flag of the same name (peers: --peer); a flag given overrides its key.',
  'payer-gateway': '# `cairn payer serve` (docs/payer-guide.md): the OpenAI-compatible endpoint your applications use to pay\n# operators. Each key is the flag of the same name (regions: --region, endpoints: --endpoint);\n# a flag given overrides its key.',
};

function formatValue(v: string | number | readonly string[]): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
}

/** The section as `cairn init` writes it, every key at its default. */
export function renderGatewaySection(section: GatewaySection): string {
  const lines = [`[${section}]`, SECTION_DOC[section]];
  for (const s of SPECS[section]) lines.push(`# ${s.doc}`, `${s.key} = ${formatValue(s.default)}`);
  return lines.join('\n') + '\n';
}

export class GatewayConfigError extends RangeError {
  override readonly name = 'GatewayConfigError';
}

/** One setting: its value and where it came from, for error messages ("--listen", "app.toml [payer-gateway] listen"). */
export interface Setting<T> {
  readonly value: T;
  readonly what: string;
}

/** A section read from app.toml: each key's value by the flag it stands for. */
export interface GatewayConfig {
  readonly section: GatewaySection;
  /** Strings, paths (made absolute against the home) and whole numbers (as text, as a flag's); undefined when "" (not set). */
  readonly strings: ReadonlyMap<string, Setting<string>>;
  readonly lists: ReadonlyMap<string, Setting<readonly string[]>>;
}

/**
 * Reads `section` of an app.toml's text (`home` resolves its paths); a missing section or key takes
 * its default. Throws GatewayConfigError naming the key for a key the section does not have or a
 * value of the wrong type.
 */
export function parseGatewayConfig(text: string, section: GatewaySection, home: string): GatewayConfig {
  const specs = SPECS[section];
  const known = new Set(specs.map((s) => s.key));
  for (const key of tomlSectionKeys(text, section)) {
    if (!known.has(key)) throw new GatewayConfigError(`app.toml [${section}] has no key "${key}"; its keys are ${[...known].join(', ')}`);
  }
  const strings = new Map<string, Setting<string>>();
  const lists = new Map<string, Setting<readonly string[]>>();
  for (const s of specs) {
    const what = `app.toml [${section}] ${s.key}`;
    let v;
    try {
      v = readTomlValue(text, section, s.key) ?? s.default;
    } catch (e) {
      throw new GatewayConfigError(`${what}: ${(e as Error).message}`, { cause: e });
    }
    if (s.kind === 'list') {
      if (!Array.isArray(v)) throw new GatewayConfigError(`${what} must be a list of strings, e.g. ["a", "b"]`);
      lists.set(s.flag, { value: v, what });
    } else if (s.kind === 'int') {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new GatewayConfigError(`${what} must be a whole number >= 0, got ${formatValue(v as string)}`);
      strings.set(s.flag, { value: String(v), what });
    } else {
      if (typeof v !== 'string') throw new GatewayConfigError(`${what} must be a string in quotes, got ${formatValue(v as number)}`);
      if (v === '') continue;
      strings.set(s.flag, { value: s.kind === 'path' && !isAbsolute(v) ? join(home, v) : v, what });
    }
  }
  return { section, strings, lists };
}
