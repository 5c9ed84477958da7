// Proto3 JSON as the Cosmos SDK's gRPC-gateway writes it: snake_case field names, 64-bit integers as
// strings, bytes as base64, enums by name, and every google.protobuf.Any inlined as its message with
// "@type" (so an account or a pubkey reads as {"@type": "/cosmos.auth.v1beta1.BaseAccount", …}).
// The generated types' toJSON/fromJSON do the scalars; this adds the names and the Any expansion.
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { LegacyAminoPubKey } from 'cosmjs-types/cosmos/crypto/multisig/keys';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
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

/** toJSON output (camelCase, Any as {typeUrl, value}) → the gateway's shape. */
function gatewayJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(gatewayJson);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if (isAnyJson(obj)) {
    const url = obj['typeUrl'] as string;
    const type = anyType(url);
    if (type !== undefined) {
      const inner = gatewayJson(type.toJSON(type.decode(Buffer.from(obj['value'] as string, 'base64')))) as Record<string, unknown>;
      return { '@type': url, ...inner };
    }
    return { '@type': url, value: obj['value'] };
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [snake(k), gatewayJson(v)]));
}

export function toGatewayJson<T>(type: ProtoType<T>, message: T): unknown {
  return gatewayJson(type.toJSON(message));
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
