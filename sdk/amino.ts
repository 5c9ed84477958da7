// Legacy amino JSON (SIGN_MODE_LEGACY_AMINO_JSON: Ledger, Keplr's amino path, CosmJS's
// Secp256k1HdWallet). Each module's face describes its messages once, as an amino schema (amino
// type name, then its fields in amino's snake_case); from that schema come both the CosmJS
// AminoConverters a client signs with and the JSON the chain rebuilds from the decoded proto
// message to verify the signature, so the two cannot disagree.
//
// The rules are the Cosmos SDK 0.50 amino-JSON encoder's (x/tx/signing/aminojson):
// - a field at its proto default (empty string, 0, false, empty bytes, empty list, unset message)
//   is left out, unless the SDK marks it dont_omitempty (`keep`); a set message is written even if
//   empty (`{}`);
// - 64-bit integers are decimal strings, 32-bit integers and enums JSON numbers (never floats),
//   bytes standard base64, Timestamps RFC 3339 in UTC, Durations their nanoseconds as a string;
// - cosmos.Dec values held as a scaled integer (LegacyDec) are written with their 18 decimals;
// - coin lists the SDK marks legacy_coins are written as [] when empty;
// - an Any is {"type": amino name, "value": …}.
// Ledger's constraints follow: only strings, integers, booleans, lists and objects, keys sorted
// when the sign doc is serialised (serializeSignDoc).
import type { AminoConverter, AminoConverters } from '@cosmjs/stargate';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { PubKey as Secp256k1PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import type { MessageType } from './messages.ts';

/** Public keys as Anys, with their legacy amino names. */
const PUBKEY_TYPES = [
  { typeUrl: '/cosmos.crypto.ed25519.PubKey', aminoType: 'tendermint/PubKeyEd25519', type: Ed25519PubKey },
  { typeUrl: '/cosmos.crypto.secp256k1.PubKey', aminoType: 'tendermint/PubKeySecp256k1', type: Secp256k1PubKey },
] as const;

/** What an amino field holds. A nested schema is a message field. */
export type AminoKind =
  | 'string'
  | 'bool'
  /** int32, uint32 or an enum: a JSON number. */
  | 'number'
  /** int64 or uint64 (bigint): a decimal string. */
  | 'int64'
  | 'bytes'
  /** cosmos.Int held in a string: written as is, "0" when empty and kept. */
  | 'int'
  /** cosmos.Dec held as a LegacyDec's scaled integer in a string. */
  | 'dec'
  /** cosmos.Dec held as a LegacyDec's scaled integer in bytes. */
  | 'decBytes'
  | 'timestamp'
  | 'duration'
  | 'any'
  /** An Any holding an ed25519 or secp256k1 public key: amino's key_field form, {type, value: base64 key}. */
  | 'pubkey'
  | AminoSchema;

const FIELD: unique symbol = Symbol('amino field');

export interface AminoFieldDef {
  readonly [FIELD]: true;
  readonly kind: AminoKind;
  readonly repeated?: boolean;
  /** The SDK's dont_omitempty: written even at its default. */
  readonly keep?: boolean;
  /** The SDK's legacy_coins encoding: an empty list is written as []. */
  readonly emptyList?: boolean;
  /** The proto (camelCase) name when it is not the amino name's camelCase. */
  readonly key?: string;
}

/** Fields by amino name, in proto field order. */
export interface AminoSchema {
  readonly [aminoName: string]: AminoKind | AminoFieldDef;
}

export type AminoJson = string | number | boolean | null | readonly AminoJson[] | { readonly [key: string]: AminoJson };

/** Resolves the message inside an Any, for the messages of a proposal. */
export interface AnyResolver {
  byTypeUrl(typeUrl: string): AminoMessage | undefined;
  byAminoType(aminoType: string): AminoMessage | undefined;
}

/** One message (or Any content) as amino knows it. */
export interface AminoMessage {
  readonly typeUrl: string;
  readonly aminoType: string;
  readonly type: MessageType<unknown>;
  readonly schema: AminoSchema;
}

export class AminoError extends Error {
  override readonly name = 'AminoError';
}

/** A field with options (a bare kind is a field without). */
export function field(kind: AminoKind, options: Omit<AminoFieldDef, typeof FIELD | 'kind'>): AminoFieldDef {
  return { [FIELD]: true, kind, ...options };
}

/** A repeated field of `kind`. */
export function list(kind: AminoKind, options: Omit<AminoFieldDef, typeof FIELD | 'kind' | 'repeated'> = {}): AminoFieldDef {
  return field(kind, { ...options, repeated: true });
}

/** A dont_omitempty field of `kind`. */
export function keep(kind: AminoKind): AminoFieldDef {
  return field(kind, { keep: true });
}

export const COIN: AminoSchema = { denom: 'string', amount: keep('int') };
/** A coin list the SDK encodes as legacy_coins: always present, [] when empty. */
export const COINS: AminoFieldDef = list(COIN, { keep: true, emptyList: true });
/** A single coin the SDK marks dont_omitempty (non-nullable). */
export const KEPT_COIN: AminoFieldDef = keep(COIN);

const DEC_PLACES = 18;
const DEC_SCALE = 10n ** BigInt(DEC_PLACES);

/** A schema entry as a full field definition. */
export function fieldDef(f: AminoKind | AminoFieldDef): AminoFieldDef {
  return typeof f === 'object' && FIELD in f ? (f as AminoFieldDef) : field(f as AminoKind, {});
}

/** The proto (camelCase) key of an amino field name. */
export function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function isDefault(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === 0n || value === false) return true;
  if (value instanceof Uint8Array) return value.length === 0;
  return false;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function fromBase64(text: unknown): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new AminoError('expected a base64 string');
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/**
 * A LegacyDec's scaled integer ("100000000000000000") as the SDK prints it ("0.100000000000000000").
 * A decimal with a point ("0.1", which Cairn's handlers also take) is written the same way.
 */
export function scaledDecToString(scaled: string): string {
  if (!/^-?\d+$/.test(scaled)) return scaledDecToString(decStringToScaled(scaled));
  const value = BigInt(scaled);
  const abs = value < 0n ? -value : value;
  return `${value < 0n ? '-' : ''}${abs / DEC_SCALE}.${(abs % DEC_SCALE).toString().padStart(DEC_PLACES, '0')}`;
}

function decStringToScaled(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d{1,18}))?$/.exec(text);
  if (m === null) throw new AminoError(`not a decimal: ${JSON.stringify(text)}`);
  return (BigInt(m[2]!) * DEC_SCALE + BigInt((m[3] ?? '').padEnd(DEC_PLACES, '0'))) * (m[1] === '-' ? -1n : 1n) + '';
}

/** Go's time.RFC3339 (whole seconds) or RFC3339Nano (trailing zeros of the fraction dropped), in UTC. */
function timestampToString(ts: { seconds: bigint; nanos: number }): string {
  const iso = new Date(Number(ts.seconds) * 1000).toISOString().slice(0, 19);
  if (ts.nanos === 0) return `${iso}Z`;
  return `${iso}.${String(ts.nanos).padStart(9, '0').replace(/0+$/, '')}Z`;
}

function timestampFromString(text: unknown): { seconds: bigint; nanos: number } {
  const m = typeof text === 'string' ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(text) : null;
  if (m === null) throw new AminoError(`expected an RFC 3339 UTC time, got ${JSON.stringify(text)}`);
  return { seconds: BigInt(Date.parse(`${m[1]!}Z`) / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

function encodeValue(kind: AminoKind, value: unknown, resolver: AnyResolver | undefined): AminoJson {
  switch (kind) {
    case 'string':
    case 'bool':
    case 'number':
      return value as AminoJson;
    case 'int64':
      return String(value);
    case 'bytes':
      return base64(value as Uint8Array);
    case 'int':
      return value === '' ? '0' : (value as string);
    case 'dec':
      return value === '' ? '0' : scaledDecToString(value as string);
    case 'decBytes':
      return (value as Uint8Array).length === 0 ? '0' : scaledDecToString(new TextDecoder().decode(value as Uint8Array));
    case 'timestamp':
      return timestampToString(value as { seconds: bigint; nanos: number });
    case 'duration': {
      const d = value as { seconds: bigint; nanos: number };
      return String(d.seconds * 1_000_000_000n + BigInt(d.nanos));
    }
    case 'any': {
      const any = value as { typeUrl: string; value: Uint8Array };
      const inner = resolver?.byTypeUrl(any.typeUrl);
      if (inner === undefined) throw new AminoError(`no amino encoding for ${any.typeUrl}`);
      return { type: inner.aminoType, value: encodeMessage(inner.schema, inner.type.decode(any.value), resolver) };
    }
    case 'pubkey': {
      const any = value as { typeUrl: string; value: Uint8Array };
      const key = PUBKEY_TYPES.find((t) => t.typeUrl === any.typeUrl);
      if (key === undefined) throw new AminoError(`no amino encoding for public key type ${any.typeUrl}`);
      return { type: key.aminoType, value: base64(key.type.decode(any.value).key) };
    }
    default:
      return encodeMessage(kind, value, resolver);
  }
}

function decodeValue(kind: AminoKind, json: unknown, resolver: AnyResolver | undefined): unknown {
  switch (kind) {
    case 'string':
    case 'int':
      if (typeof json !== 'string') throw new AminoError(`expected a string, got ${JSON.stringify(json)}`);
      return kind === 'int' && json === '0' ? '' : json;
    case 'bool':
      if (typeof json !== 'boolean') throw new AminoError(`expected a boolean, got ${JSON.stringify(json)}`);
      return json;
    case 'number':
      if (typeof json !== 'number' || !Number.isInteger(json)) throw new AminoError(`expected an integer, got ${JSON.stringify(json)}`);
      return json;
    case 'int64':
      if (typeof json !== 'string' || !/^-?\d+$/.test(json)) throw new AminoError(`expected an integer string, got ${JSON.stringify(json)}`);
      return BigInt(json);
    case 'bytes':
      return fromBase64(json);
    case 'dec':
    case 'decBytes': {
      if (typeof json !== 'string') throw new AminoError(`expected a decimal string, got ${JSON.stringify(json)}`);
      const scaled = json === '0' ? '' : decStringToScaled(json);
      return kind === 'dec' ? scaled : new TextEncoder().encode(scaled);
    }
    case 'timestamp':
      return timestampFromString(json);
    case 'duration': {
      if (typeof json !== 'string' || !/^-?\d+$/.test(json)) throw new AminoError(`expected nanoseconds as a string, got ${JSON.stringify(json)}`);
      const nanos = BigInt(json);
      return { seconds: nanos / 1_000_000_000n, nanos: Number(nanos % 1_000_000_000n) };
    }
    case 'any': {
      const { type, value } = (json ?? {}) as { type?: unknown; value?: unknown };
      const inner = typeof type === 'string' ? resolver?.byAminoType(type) : undefined;
      if (inner === undefined) throw new AminoError(`unknown amino type ${JSON.stringify(type)}`);
      const msg = inner.type.fromPartial(decodeMessage(inner.schema, value, resolver) as never);
      return { typeUrl: inner.typeUrl, value: inner.type.encode(msg).finish() };
    }
    case 'pubkey': {
      const { type, value } = (json ?? {}) as { type?: unknown; value?: unknown };
      const key = PUBKEY_TYPES.find((t) => t.aminoType === type);
      if (key === undefined) throw new AminoError(`unknown public key type ${JSON.stringify(type)}`);
      return { typeUrl: key.typeUrl, value: key.type.encode({ key: fromBase64(value) }).finish() };
    }
    default:
      return decodeMessage(kind, json, resolver);
  }
}

/** The amino JSON of a (complete, decoded) proto message. */
export function encodeMessage(schema: AminoSchema, msg: unknown, resolver?: AnyResolver): { [key: string]: AminoJson } {
  const out: { [key: string]: AminoJson } = {};
  const source = msg as Record<string, unknown>;
  for (const [name, field] of Object.entries(schema)) {
    const f = fieldDef(field);
    const value = source[f.key ?? camel(name)];
    if (f.repeated) {
      const list = (value ?? []) as unknown[];
      if (list.length > 0) out[name] = list.map((v) => encodeValue(f.kind, v, resolver));
      else if (f.emptyList) out[name] = [];
      else if (f.keep) out[name] = null;
    } else if (typeof f.kind === 'object' && value !== undefined && value !== null) {
      out[name] = encodeMessage(f.kind, value, resolver);
    } else if (!isDefault(value)) {
      out[name] = encodeValue(f.kind, value, resolver);
    } else if (f.keep) {
      out[name] = keptDefault(f.kind, value, resolver);
    }
  }
  return out;
}

/** A dont_omitempty field at its default: an unset message is written with its defaults. */
function keptDefault(kind: AminoKind, value: unknown, resolver: AnyResolver | undefined): AminoJson {
  if (typeof kind === 'object') return encodeMessage(kind, {}, resolver);
  if (value === undefined || value === null) {
    const zero: Partial<Record<AminoKind & string, unknown>> = { string: '', bool: false, number: 0, int64: 0n, bytes: new Uint8Array(), int: '', dec: '', decBytes: new Uint8Array() };
    return encodeValue(kind, zero[kind as AminoKind & string], resolver);
  }
  return encodeValue(kind, value, resolver);
}

/** The proto message (partial: fromPartial fills the defaults) of an amino JSON value. */
export function decodeMessage(schema: AminoSchema, json: unknown, resolver?: AnyResolver): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new AminoError(`expected an object, got ${JSON.stringify(json)}`);
  const source = json as Record<string, unknown>;
  for (const key of Object.keys(source)) if (!(key in schema)) throw new AminoError(`unknown field ${key}`);
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema)) {
    const f = fieldDef(field);
    const value = source[name];
    if (value === undefined || value === null) continue;
    if (f.repeated) {
      if (!Array.isArray(value)) throw new AminoError(`${name}: expected a list`);
      out[f.key ?? camel(name)] = value.map((v) => decodeValue(f.kind, v, resolver));
    } else {
      out[f.key ?? camel(name)] = decodeValue(f.kind, value, resolver);
    }
  }
  return out;
}

/** A CosmJS AminoConverter for one message: what `new AminoTypes({...})` takes. */
export function aminoConverter(message: AminoMessage, resolver?: AnyResolver): AminoConverter {
  const { type, schema, aminoType } = message;
  return {
    aminoType,
    // CosmJS hands over the EncodeObject's value, which may leave fields out: complete it first,
    // so the client signs what the chain will decode.
    toAmino: (value: unknown) => encodeMessage(schema, type.fromPartial(value as never), resolver),
    fromAmino: (json: unknown) => type.fromPartial(decodeMessage(schema, json, resolver) as never),
  };
}

/** Amino schemas for a face's messages, by message name: [amino type name, schema]. */
export type AminoSchemas<U extends Readonly<Record<string, string>>> = { readonly [K in keyof U]: readonly [aminoType: string, schema: AminoSchema] };

/** The AminoMessages of a face, from its type URL table, its generated types and its schemas. */
export function aminoMessages<U extends Readonly<Record<string, string>>>(
  typeUrls: U,
  types: { readonly [K in keyof U]: MessageType<unknown> },
  schemas: AminoSchemas<U>,
): readonly AminoMessage[] {
  return Object.keys(typeUrls).map((name) => {
    const [aminoType, schema] = schemas[name]!;
    return { typeUrl: typeUrls[name]!, aminoType, type: types[name]!, schema };
  });
}

/** A resolver over a list of AminoMessages (type URLs and amino names must each be unique). */
export function anyResolver(messages: readonly AminoMessage[]): AnyResolver {
  const byUrl = new Map<string, AminoMessage>();
  const byName = new Map<string, AminoMessage>();
  for (const m of messages) {
    if (byUrl.has(m.typeUrl)) throw new Error(`type URL ${m.typeUrl} has two amino encodings`);
    if (byName.has(m.aminoType)) throw new Error(`amino type ${m.aminoType} is used twice`);
    // The SDK refuses longer names: Ledger cannot show them.
    if (m.aminoType.length > 39) throw new Error(`amino type ${m.aminoType} is longer than 39 characters`);
    byUrl.set(m.typeUrl, m);
    byName.set(m.aminoType, m);
  }
  return { byTypeUrl: (url) => byUrl.get(url), byAminoType: (name) => byName.get(name) };
}

/** CosmJS AminoConverters by type URL, for `new AminoTypes(...)`. */
export function aminoConverters(messages: readonly AminoMessage[], resolver: AnyResolver = anyResolver(messages)): AminoConverters {
  return Object.fromEntries(messages.map((m) => [m.typeUrl, aminoConverter(m, resolver)]));
}
