// Strict readers for genesis JSON: every failure names the path of the bad field.
export class GenesisError extends Error {
  override readonly name = 'GenesisError';
}

export type Json = unknown;

/** Refuses the field at `path`. */
export function fail(path: string, message: string): never {
  throw new GenesisError(`${path}: ${message}`);
}

export function object(value: Json, path: string): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GenesisError(`${path}: expected an object`);
  }
  return value as Record<string, Json>;
}

export function array(value: Json, path: string): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new GenesisError(`${path}: expected an array`);
  return value;
}

export function string(value: Json, path: string): string {
  if (typeof value !== 'string') throw new GenesisError(`${path}: expected a string`);
  return value;
}

/** An unsigned integer written as a JSON string (as the SDK writes u64 and Int). */
export function uint(value: Json, path: string, max: bigint = 2n ** 64n - 1n): bigint {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : string(value, path);
  if (!/^(0|[1-9][0-9]*)$/.test(text)) throw new GenesisError(`${path}: "${text}" is not an unsigned integer`);
  const n = BigInt(text);
  if (n > max) throw new GenesisError(`${path}: ${text} is out of range (max ${max})`);
  return n;
}

export function optional<T>(value: Json, fallback: T, read: (v: Json) => T): T {
  return value === undefined || value === null ? fallback : read(value);
}

/** Runs `read` and prefixes any error (AppError included) with the JSON path. */
export function at<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof GenesisError) throw err;
    throw new GenesisError(`${path}: ${(err as Error).message}`);
  }
}
