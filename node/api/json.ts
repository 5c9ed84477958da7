// Proto3 JSON as the Cosmos SDK's gRPC-gateway writes it: snake_case field names, 64-bit integers as
// strings, bytes as base64, enums by name, and every google.protobuf.Any inlined as its message with
// "@type" (so an account or a pubkey reads as {"@type": "/cosmos.auth.v1beta1.BaseAccount", …}).
// The generated types' toJSON/fromJSON do the scalars; this adds the names, the Any expansion,
// Durations as "600s", and the SDK's Decs (gogoproto LegacyDec fields, whose wire form is the
// integer of atomics, as string or bytes) in their JSON form, "0.100000000000000000".
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { LegacyAminoPubKey } from 'cosmjs-types/cosmos/crypto/multisig/keys';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { formatDec } from '../../core/framework/dec.ts';
import { cairnRegistry } from '../../sdk/cosmjs-registry.ts';
import type { ProtoType } from './routes.ts';

const registry = cairnRegistry();
const extra: Record<string, ProtoType> = {
  '/cosmos.crypto.ed25519.PubKey': Ed25519PubKey as ProtoType,
  '/cosmos.crypto.multisig.LegacyAminoPubKey': LegacyAminoPubKey as ProtoType,
  '/cosmos.tx.v1beta1.Tx': Tx as ProtoType,
};

function anyType(typeUrl: string): ProtoType | undefined {
  if (extra[typeUrl] !== undefined) return extra[typeUrl];
  const t = registry.lookupType(typeUrl) as Partial<ProtoType> | undefined;
  return t?.toJSON === undefined ? undefined : (t as ProtoType);
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function isAnyJson(v: Record<string, unknown>): boolean {
  const keys = Object.keys(v);
  return keys.length === 2 && typeof v['typeUrl'] === 'string' && typeof v['value'] === 'string';
}

/** Fields of the Cosmos SDK's messages that are LegacyDec (staking, distribution, slashing, mint). */
const DEC_FIELDS = new Set([
  'delegatorShares', 'rate', 'maxRate', 'maxChangeRate', 'minCommissionRate', 'shares', 'sharesDst', 'fraction',
  'communityTax', 'baseProposerReward', 'bonusProposerReward',
  'minSignedPerWindow', 'slashFractionDoubleSign', 'slashFractionDowntime',
  'inflation', 'annualProvisions', 'inflationRateChange', 'inflationMax', 'inflationMin', 'goalBonded',
]);

/** A Dec's wire form in toJSON output (atomics as a string, or base64 of that string for `bytes` fields) → "1.500000000000000000". */
function decJson(v: unknown, bytes: boolean): unknown {
  if (typeof v !== 'string') return v;
  const atomics = bytes ? Buffer.from(v, 'base64').toString('utf8') : v;
  return /^-?\d+$/.test(atomics) ? formatDec(BigInt(atomics)) : v;
}

interface Shape {
  /** Cosmos SDK messages: Decs are converted; Cairn's own have none. */
  readonly cosmos: boolean;
  /** Every coin is a DecCoin (the distribution service's answers). */
  readonly decCoins: boolean;
}

/** toJSON output (camelCase, Any as {typeUrl, value}) → the gateway's shape. */
function gatewayJson(value: unknown, shape: Shape): unknown {
  if (Array.isArray(value)) return value.map((v) => gatewayJson(v, shape));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if (isAnyJson(obj)) {
    const url = obj['typeUrl'] as string;
    const type = anyType(url);
    if (type !== undefined) {
      const inner = gatewayJson(type.toJSON(type.decode(Buffer.from(obj['value'] as string, 'base64'))), { ...shape, cosmos: url.startsWith('/cosmos.') }) as Record<string, unknown>;
      return { '@type': url, ...inner };
    }
    return { '@type': url, value: obj['value'] };
  }
  const keys = Object.keys(obj);
  if (keys.length === 2 && typeof obj['seconds'] === 'string' && typeof obj['nanos'] === 'number') {
    // google.protobuf.Duration (Timestamps are already RFC 3339 strings).
    const nanos = obj['nanos'];
    return `${obj['seconds']}${nanos === 0 ? '' : `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}`}s`;
  }
  const isDecCoin = shape.decCoins && keys.length === 2 && typeof obj['denom'] === 'string';
  return Object.fromEntries(
    Object.entries(obj).map(([k, v]) => {
      if (shape.cosmos && (DEC_FIELDS.has(k) || (isDecCoin && k === 'amount'))) return [snake(k), decJson(v, BYTES_DECS.has(k))];
      return [snake(k), gatewayJson(v, shape)];
    }),
  );
}

/** The Decs declared as `bytes` on the wire (slashing params, mint's answers). */
const BYTES_DECS = new Set(['minSignedPerWindow', 'slashFractionDoubleSign', 'slashFractionDowntime', 'inflation', 'annualProvisions']);

/** `service`: the gRPC service that answered (its package decides how Decs and coins read). */
export function toGatewayJson<T>(type: ProtoType<T>, message: T, service: string): unknown {
  return gatewayJson(type.toJSON(message), { cosmos: service.startsWith('cosmos.'), decCoins: service.startsWith('cosmos.distribution.') });
}

/** The reverse for request bodies: snake_case (or camelCase) names; Any given as {"@type", …fields}. */
function fromGateway(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromGateway);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if (typeof obj['@type'] === 'string') {
    const url = obj['@type'];
    const type = anyType(url);
    if (type === undefined) throw new TypeError(`unknown Any type ${url}`);
    const { '@type': _, ...fields } = obj;
    return { typeUrl: url, value: Buffer.from(type.encode(type.fromJSON(fromGateway(fields))).finish()).toString('base64') };
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [camel(k), fromGateway(v)]));
}

export function fromGatewayJson<T>(type: ProtoType<T>, json: unknown): T {
  return type.fromJSON(fromGateway(json));
}
