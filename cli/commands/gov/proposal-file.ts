// The proposal file of `cairn tx gov submit-proposal`, in the Cosmos SDK's form:
//   { "messages": [{ "@type": "/cairn.registry.v1.MsgUpdateParams", "authority": "cairn1…", "params": {…} }],
//     "metadata": "ipfs://…", "deposit": "10000000ucairn", "title": "…", "summary": "…", "expedited": false }
// Each message is proto JSON (snake_case or camelCase fields, bytes as base64, 64-bit integers as
// strings, durations such as "60s" in fields named *_period, *_duration or *_time) with its type URL
// in "@type"; it becomes an Any through the same registry the CLI signs with. A field the message
// does not have is refused with its JSON path, rather than dropped.
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { readProtoJson } from '../../../core/framework/proto-json.ts';
import { type Coin, parseCoins } from '../../amount.ts';
import { UsageError } from '../../errors.ts';
import { CAIRN_TX_TYPES } from '../../tx.ts';

export interface ProposalFile {
  readonly messages: Any[];
  readonly metadata: string;
  readonly deposit: Coin[];
  readonly title: string;
  readonly summary: string;
  readonly expedited: boolean;
}

interface JsonMessageType {
  fromJSON(object: unknown): unknown;
  toJSON(message: unknown): unknown;
  encode(message: unknown): { finish(): Uint8Array };
}

const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const DURATION = /^([0-9]+)(?:\.([0-9]{1,9}))?s$/;
const DURATION_FIELD = /(Period|Duration|Time)$/;

/** snake_case keys to camelCase; "60s" in a duration field to { seconds, nanos } as ts-proto reads it. */
function normalize(value: unknown, key = ''): unknown {
  if (typeof value === 'string' && DURATION_FIELD.test(key)) {
    const m = DURATION.exec(value);
    if (m !== null) return { seconds: m[1], nanos: m[2] === undefined ? 0 : Number(m[2].padEnd(9, '0')) };
  }
  if (Array.isArray(value)) return value.map((v) => normalize(v, key));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [camel(k), normalize(v, camel(k))]));
  return value;
}

export function messageToAny(json: unknown, path: string): Any {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new UsageError(`${path}: a message is a JSON object with its type URL in "@type"`);
  const { '@type': typeUrl, ...fields } = json as Record<string, unknown>;
  if (typeof typeUrl !== 'string') throw new UsageError(`${path}: "@type" (the message's type URL, e.g. /cosmos.gov.v1.MsgUpdateParams) is missing`);
  const type = CAIRN_TX_TYPES.lookupType(typeUrl) as JsonMessageType | undefined;
  if (type === undefined) throw new UsageError(`${path}: ${typeUrl} is not a message this CLI knows`);
  let message: unknown;
  try {
    message = readProtoJson(type, normalize(fields), path);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return { typeUrl, value: type.encode(message).finish() };
}

export function parseProposalFile(text: string, file: string): ProposalFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not JSON: ${(err as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new UsageError(`${file}: expected a JSON object with messages, title, summary and deposit`);
  const o = json as Record<string, unknown>;
  const known = ['messages', 'metadata', 'deposit', 'title', 'summary', 'expedited'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new UsageError(`${file}: unknown field "${k}" (a proposal file has ${known.join(', ')})`);
  const text_ = (k: string): string => {
    if (o[k] === undefined) return '';
    if (typeof o[k] !== 'string') throw new UsageError(`${file}: "${k}" must be a string`);
    return o[k];
  };
  const messages = o['messages'] === undefined ? [] : o['messages'];
  if (!Array.isArray(messages)) throw new UsageError(`${file}: "messages" must be a list`);
  return {
    messages: messages.map((m, i) => messageToAny(m, `${file}: messages[${i}]`)),
    metadata: text_('metadata'),
    deposit: text_('deposit') === '' ? [] : parseCoins(text_('deposit'), { what: 'deposit' }),
    title: text_('title'),
    summary: text_('summary'),
    expedited: o['expedited'] === true,
  };
}
