// Finding the fields a protobuf decoder skipped, without a schema. The generated decoders drop
// fields they do not know, so a signed tx could carry data that every node ignores today and a
// future version would read: the SDK refuses such txs (ADR-020's unknown-field rules). We compare
// the bytes as sent with the canonical re-encoding of what was decoded: a field number present in
// the first and absent from the second was not understood. Nested messages are compared the same
// way wherever the two encodings of a length-delimited field differ.
//
// The one ambiguity: a known scalar field encoded with its default value (which canonical encoders
// never write, so it vanishes on re-encoding) looks like an unknown field with a zero value. Zero
// values carry no data, so they are let through.

/** ADR-020: a field number with bit 11 set is non-critical, and a node that does not know it may ignore it. */
const NON_CRITICAL_BIT = 1 << 10;

interface WireField {
  readonly num: number;
  readonly wire: number;
  readonly payload: Uint8Array;
}

/** The top-level fields of a message, or undefined when the bytes are not a well-formed message. */
function scanFields(bytes: Uint8Array): WireField[] | undefined {
  const fields: WireField[] = [];
  let pos = 0;
  const varint = (): number | undefined => {
    let value = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      const b = bytes[pos++];
      if (b === undefined) return undefined;
      if (shift < 49) value += (b & 0x7f) * 2 ** shift; // exact below 2^53; only lengths and tags need it
      if ((b & 0x80) === 0) return value;
    }
    return undefined;
  };
  while (pos < bytes.length) {
    const tag = varint();
    if (tag === undefined || tag < 8) return undefined;
    const num = Math.floor(tag / 8);
    const wire = tag % 8;
    const start = pos;
    if (wire === 0) {
      if (varint() === undefined) return undefined;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
    } else if (wire === 2) {
      const length = varint();
      if (length === undefined) return undefined;
      pos += length;
      fields.push({ num, wire, payload: bytes.subarray(pos - length, pos) });
      if (pos > bytes.length) return undefined;
      continue;
    } else {
      return undefined; // groups (3, 4) are not used by any Cosmos type
    }
    if (pos > bytes.length) return undefined;
    fields.push({ num, wire, payload: bytes.subarray(start, pos) });
  }
  return fields;
}

function isZero(f: WireField): boolean {
  return f.payload.every((b) => b === 0);
}

/** Byte equality through Buffer.compare (native: whole txs are compared on every CheckTx). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * The paths (field numbers joined by dots, e.g. "1.4" for field 4 of the message in field 1) of the
 * fields in `original` that its decoder did not know, given `canonical`, the re-encoding of what it
 * decoded. Non-critical field numbers are allowed when `allowNonCritical` (TxBody and what it holds).
 */
export function unknownFields(original: Uint8Array, canonical: Uint8Array, allowNonCritical: boolean, path = ''): string[] {
  if (sameBytes(original, canonical)) return [];
  const sent = scanFields(original);
  const known = scanFields(canonical);
  if (sent === undefined || known === undefined) return [];
  const byNumber = new Map<number, WireField[]>();
  for (const f of known) byNumber.set(f.num, [...(byNumber.get(f.num) ?? []), f]);
  const seen = new Map<number, number>();
  const out: string[] = [];
  for (const f of sent) {
    const peers = byNumber.get(f.num);
    if (peers === undefined) {
      if (!isZero(f) && !(allowNonCritical && (f.num & NON_CRITICAL_BIT) !== 0)) out.push(`${path}${f.num}`);
      continue;
    }
    const i = seen.get(f.num) ?? 0;
    seen.set(f.num, i + 1);
    const peer = peers[i];
    if (f.wire === 2 && peer?.wire === 2) out.push(...unknownFields(f.payload, peer.payload, allowNonCritical, `${path}${f.num}.`));
  }
  return out;
}

/** The raw bytes of every occurrence of a length-delimited top-level field (e.g. a string, as sent). */
export function rawField(bytes: Uint8Array, num: number): Uint8Array[] {
  return (scanFields(bytes) ?? []).filter((f) => f.num === num && f.wire === 2).map((f) => f.payload);
}
