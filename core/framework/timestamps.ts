// Protobuf Timestamps and Durations compared and added exactly (seconds and nanos, no floats), as
// the SDK's time.Time arithmetic does for expirations, period resets and vesting schedules.
import type { Duration } from 'cosmjs-types/google/protobuf/duration';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';

const NANOS = 1_000_000_000n;

function nanosOf(t: { seconds: bigint; nanos: number }): bigint {
  return t.seconds * NANOS + BigInt(t.nanos);
}

/** Negative if a is before b, 0 if equal, positive if after. */
export function compareTime(a: Timestamp, b: Timestamp): number {
  const d = nanosOf(a) - nanosOf(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function addDuration(t: Timestamp, d: Duration): Timestamp {
  const total = nanosOf(t) + nanosOf(d);
  const seconds = total >= 0n ? total / NANOS : -((-total + NANOS - 1n) / NANOS);
  return { seconds, nanos: Number(total - seconds * NANOS) };
}

/** The zero Timestamp (Go's time.Time{} encodes as year 1, but an unset proto field decodes as this). */
export function isUnset(t: Timestamp | undefined): boolean {
  return t === undefined || (t.seconds === 0n && t.nanos === 0);
}

/** RFC 3339 in UTC with the exact nanoseconds, as the SDK's JSON writes a Timestamp. */
export function timestampToJson(t: Timestamp): string {
  const iso = new Date(Number(t.seconds) * 1000).toISOString().replace(/\.\d+Z$/, '');
  const fraction = t.nanos === 0 ? '' : `.${String(t.nanos).padStart(9, '0').replace(/0+$/, '')}`;
  return `${iso}${fraction}Z`;
}

/** Parses RFC 3339 (any offset) to a Timestamp, keeping nanoseconds; throws RangeError on bad text. */
export function timestampFromJson(text: string): Timestamp {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  const ms = m === null ? NaN : Date.parse(`${m[1]}${m[3]}`);
  if (m === null || Number.isNaN(ms)) throw new RangeError(`"${text}" is not an RFC 3339 time`);
  return { seconds: BigInt(ms) / 1000n, nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

/** A Duration as the SDK's JSON writes it: "3600s", "1.5s". */
export function durationToJson(d: Duration): string {
  const total = d.seconds * NANOS + BigInt(d.nanos);
  const sign = total < 0n ? '-' : '';
  const abs = total < 0n ? -total : total;
  const frac = abs % NANOS === 0n ? '' : `.${String(abs % NANOS).padStart(9, '0').replace(/0+$/, '')}`;
  return `${sign}${abs / NANOS}${frac}s`;
}

export function durationFromJson(text: string): Duration {
  const m = /^(-?)(\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (m === null) throw new RangeError(`"${text}" is not a duration such as "3600s"`);
  const total = (BigInt(m[2]!) * NANOS + BigInt((m[3] ?? '').padEnd(9, '0'))) * (m[1] === '-' ? -1n : 1n);
  const seconds = total / NANOS;
  return { seconds, nanos: Number(total - seconds * NANOS) };
}
