// Framing for the CometBFT v0.38 ABCI socket protocol.
//
// Every message is an unsigned varint length (Go's binary.PutUvarint, as used by libs/protoio)
// followed by that many bytes of protobuf. This is NOT the signed zig-zag varint of v0.34, which
// old JavaScript ABCI libraries still use.
//
// `FrameDecoder` is a streaming decoder: TCP delivers arbitrary chunks, so a chunk may hold several
// frames, a frame may span many chunks, and the length varint itself may be split.
import { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import { uvarintLength, writeUvarint } from '../../proto/wire.ts';

/** 64 MiB. CometBFT allows up to MaxInt32, but a block is at most 100 MiB and 21 MiB by default. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Go's binary.MaxVarintLen64: a longer varint cannot encode a uint64. */
const MAX_VARINT_BYTES = 10;

export class AbciCodecError extends Error {
  override name = 'AbciCodecError';
}

/** The length prefix runs past 10 bytes or above 2^53 - 1 (no real frame is that large). */
export class VarintOverflowError extends AbciCodecError {
  override name = 'VarintOverflowError';
}

/** The length prefix announces a frame larger than the configured maximum. */
export class FrameTooLargeError extends AbciCodecError {
  override name = 'FrameTooLargeError';
  readonly length: number;
  readonly maxFrameBytes: number;
  /** `initChainMaxFrameBytes`: named when a new chain's InitChain could have been larger than the others. */
  constructor(length: number, maxFrameBytes: number, initChainMaxFrameBytes = maxFrameBytes) {
    super(
      initChainMaxFrameBytes > maxFrameBytes
        ? `frame of ${length} bytes exceeds the maximum of ${maxFrameBytes} bytes (${initChainMaxFrameBytes} for a new chain's InitChain: the node's genesis.json + 1 MiB)`
        : `frame of ${length} bytes exceeds the maximum of ${maxFrameBytes} bytes`,
    );
    this.length = length;
    this.maxFrameBytes = maxFrameBytes;
  }
}

/** The stream ended in the middle of a length prefix or a frame body. */
export class TruncatedFrameError extends AbciCodecError {
  override name = 'TruncatedFrameError';
}

/** A complete frame whose bytes are not a valid protobuf message. */
export class MalformedMessageError extends AbciCodecError {
  override name = 'MalformedMessageError';
}

export interface FrameDecoderOptions {
  readonly maxFrameBytes?: number;
  /**
   * A larger limit for an InitChain request alone (told by the first byte of its body), which carries
   * the whole genesis app_state: the node sets it from the size of the genesis.json it checked.
   */
  readonly initChainMaxFrameBytes?: number | undefined;
}

/** The first byte of a Request holding init_chain (field 5, length-delimited). */
const INIT_CHAIN_TAG = (5 << 3) | 2;

/**
 * Turns a stream of byte chunks into frame payloads.
 *
 * A payload that lies inside one input chunk is returned as a view of that chunk (no copy); a payload
 * spread over several chunks is copied exactly once, when its last byte arrives, so a large frame
 * delivered in many small chunks costs O(n), not O(n^2). Memory grows only as bytes arrive, never
 * up front from the announced length. After an error the decoder is poisoned: every later call
 * throws the same error.
 */
export class FrameDecoder {
  readonly maxFrameBytes: number;
  readonly initChainMaxFrameBytes: number;
  // Length prefix in progress.
  #varValue = 0;
  #varBytes = 0;
  // Body in progress: -1 while reading a length prefix.
  #need = -1;
  /** The body in progress is above maxFrameBytes: allowed only if it is an InitChain. */
  #big = false;
  #parts: Uint8Array[] = [];
  #have = 0;
  #failed: AbciCodecError | undefined;

  constructor(opts: FrameDecoderOptions = {}) {
    const max = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isSafeInteger(max) || max < 0) {
      throw new RangeError(`maxFrameBytes must be a non-negative safe integer, got ${max}`);
    }
    this.maxFrameBytes = max;
    const initChainMax = opts.initChainMaxFrameBytes ?? max;
    if (!Number.isSafeInteger(initChainMax) || initChainMax < 0) {
      throw new RangeError(`initChainMaxFrameBytes must be a non-negative safe integer, got ${initChainMax}`);
    }
    this.initChainMaxFrameBytes = Math.max(max, initChainMax);
  }

  /** Bytes held for an incomplete frame (prefix bytes are not counted). */
  get bufferedBytes(): number {
    return this.#have;
  }

  /** True when the decoder sits exactly between frames. */
  get idle(): boolean {
    return this.#need === -1 && this.#varBytes === 0;
  }

  /**
   * Feeds one chunk and calls `onFrame` for every frame it completes, in order. On bad input the
   * frames before the fault are still delivered, then the error is thrown: a server can answer what
   * the peer sent correctly before it hangs up.
   */
  push(chunk: Uint8Array, onFrame: (payload: Uint8Array) => void): void {
    if (this.#failed !== undefined) throw this.#failed;
    let pos = 0;
    const end = chunk.length;
    while (pos < end) {
      if (this.#need === -1) {
        // Reading the length prefix, possibly continued from an earlier chunk.
        const byte = chunk[pos++] as number;
        if (this.#varBytes === MAX_VARINT_BYTES - 1 && byte > 1) {
          // Go's ReadUvarint: a 10th byte above 1 overflows uint64.
          this.#fail(new VarintOverflowError('length prefix overflows a 64-bit unsigned varint'));
        }
        this.#varValue += (byte & 0x7f) * 2 ** (7 * this.#varBytes);
        this.#varBytes++;
        if (this.#varValue > Number.MAX_SAFE_INTEGER) {
          this.#fail(new VarintOverflowError('length prefix exceeds 2^53 - 1'));
        }
        if (byte & 0x80) {
          if (this.#varBytes >= MAX_VARINT_BYTES) {
            this.#fail(new VarintOverflowError(`length prefix is longer than ${MAX_VARINT_BYTES} bytes`));
          }
          continue;
        }
        const length = this.#varValue;
        this.#varValue = 0;
        this.#varBytes = 0;
        if (length > this.initChainMaxFrameBytes) this.#fail(new FrameTooLargeError(length, this.maxFrameBytes, this.initChainMaxFrameBytes));
        this.#big = length > this.maxFrameBytes;
        if (this.#big && pos < end) this.#checkBig(chunk[pos] as number, length);
        if (end - pos >= length) {
          // Fast path: the whole body is in this chunk.
          const payload = chunk.subarray(pos, pos + length);
          pos += length;
          onFrame(payload);
        } else {
          this.#need = length;
        }
        continue;
      }
      // Reading a body that started in an earlier chunk (or does not fit in this one).
      if (this.#big && this.#have === 0) this.#checkBig(chunk[pos] as number, this.#need);
      const take = Math.min(this.#need - this.#have, end - pos);
      this.#parts.push(chunk.subarray(pos, pos + take));
      this.#have += take;
      pos += take;
      if (this.#have === this.#need) {
        const payload = concat(this.#parts, this.#need);
        this.#parts = [];
        this.#have = 0;
        this.#need = -1;
        onFrame(payload);
      }
    }
  }

  /** `push` for callers that want an array (tests, one-shot decoding). */
  pushAll(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    this.push(chunk, (f) => frames.push(f));
    return frames;
  }

  /** Call at end of stream: throws `TruncatedFrameError` if a frame was left incomplete. */
  end(): void {
    if (this.#failed !== undefined) throw this.#failed;
    if (this.#varBytes > 0) {
      this.#fail(new TruncatedFrameError(`stream ended inside a length prefix (${this.#varBytes} bytes)`));
    }
    if (this.#need !== -1) {
      this.#fail(new TruncatedFrameError(`stream ended after ${this.#have} of ${this.#need} frame bytes`));
    }
  }

  #checkBig(firstByte: number, length: number): void {
    if (firstByte !== INIT_CHAIN_TAG) this.#fail(new FrameTooLargeError(length, this.maxFrameBytes));
    this.#big = false;
  }

  #fail(err: AbciCodecError): never {
    this.#failed = err;
    this.#parts = [];
    this.#have = 0;
    throw err;
  }
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Prefixes `payload` with its uvarint length. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(uvarintLength(payload.length) + payload.length);
  out.set(payload, writeUvarint(payload.length, out, 0));
  return out;
}

export function encodeRequest(req: Request): Uint8Array {
  return encodeFrame(Request.encode(req).finish());
}

export function encodeResponse(res: Response): Uint8Array {
  return encodeFrame(Response.encode(res).finish());
}

/** Decodes one frame payload; throws `MalformedMessageError` when it is not a valid Request. */
export function decodeRequest(payload: Uint8Array): Request {
  try {
    return Request.decode(payload);
  } catch (err) {
    throw new MalformedMessageError(`undecodable Request (${payload.length} bytes): ${messageOf(err)}`, {
      cause: err,
    });
  }
}

/** Decodes one frame payload; throws `MalformedMessageError` when it is not a valid Response. */
export function decodeResponse(payload: Uint8Array): Response {
  try {
    return Response.decode(payload);
  } catch (err) {
    throw new MalformedMessageError(`undecodable Response (${payload.length} bytes): ${messageOf(err)}`, {
      cause: err,
    });
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
