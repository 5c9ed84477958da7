// Protobuf Timestamps as the chain uses them: block times in milliseconds (consensus code keeps
// bigint milliseconds, never floats), and RFC 3339 text in genesis JSON.
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { GenesisError, string } from './json.ts';

export function timestampMs(t: { seconds: bigint; nanos: number }): bigint {
  return t.seconds * 1000n + BigInt(Math.trunc(t.nanos / 1_000_000));
}

export function msToTimestamp(ms: bigint): Timestamp {
  return { seconds: ms / 1000n, nanos: Number(ms % 1000n) * 1_000_000 };
}

/** RFC 3339 in UTC, as genesis files write times and the SDK prints them in events. */
export function timeToJson(t: Timestamp): string {
  return new Date(Number(timestampMs(t))).toISOString();
}

export function readTime(v: unknown, path: string): Timestamp {
  const text = string(v, path);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new GenesisError(`${path}: "${text}" is not an RFC 3339 time`);
  return msToTimestamp(BigInt(ms));
}
