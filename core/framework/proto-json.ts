// Genesis JSON for protobuf state, as the SDK writes it: snake_case field names, 64-bit integers as
// strings, bytes as base64, enums by name (ts-proto's toJSON/fromJSON, with keys renamed). Reading
// refuses fields the message does not have, naming their JSON path; values are checked afterwards
// by the module's own validation.
import { GenesisError } from './json.ts';

interface JsonType<T> {
  fromJSON(object: unknown): T;
  toJSON(message: T): unknown;
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function rename(value: unknown, f: (k: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => rename(v, f));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [f(k), rename(v, f)]));
  }
  return value;
}

/** Every key of `json` must name a field of the decoded `message` (same shape, recursively). */
function checkKnown(json: unknown, message: unknown, path: string): void {
  if (Array.isArray(json)) {
    if (!Array.isArray(message)) throw new GenesisError(`${path}: expected ${typeof message}`);
    json.forEach((v, i) => checkKnown(v, message[i], `${path}[${i}]`));
    return;
  }
  if (json === null || typeof json !== 'object') return;
  if (message === null || typeof message !== 'object' || message instanceof Uint8Array) throw new GenesisError(`${path}: expected a scalar`);
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    const field = camel(k);
    if (!Object.hasOwn(message, field)) throw new GenesisError(`${path}.${k}: unknown field`);
    checkKnown(v, (message as Record<string, unknown>)[field], `${path}.${k}`);
  }
}

export function readProtoJson<T>(type: JsonType<T>, json: unknown, path: string): T {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new GenesisError(`${path}: expected an object`);
  let message: T;
  try {
    message = type.fromJSON(json);
  } catch (e) {
    throw new GenesisError(`${path}: ${(e as Error).message}`);
  }
  checkKnown(json, message, path);
  return message;
}

export function writeProtoJson<T>(type: JsonType<T>, message: T): Record<string, unknown> {
  return rename(type.toJSON(message), snake) as Record<string, unknown>;
}
