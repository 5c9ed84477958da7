import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';

/** RFC 3339 in UTC, as the SDK prints times in events. */
export function formatTime(t: Timestamp): string {
  return new Date(Number(t.seconds * 1000n) + Math.trunc(t.nanos / 1_000_000)).toISOString();
}
