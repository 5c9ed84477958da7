import fc from 'fast-check';
import { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import {
  AbciCodecError,
  decodeRequest,
  encodeFrame,
  encodeRequest,
  encodeResponse,
  FrameDecoder,
  FrameTooLargeError,
  MalformedMessageError,
  TruncatedFrameError,
  VarintOverflowError,
} from './codec.ts';
import { uvarintLength, writeUvarint } from '../../proto/wire.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s/g, ''), 'hex'));

function concatAll(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.slice(prev, p));
    prev = p;
  }
  return chunks;
}

const arbRequest: fc.Arbitrary<Request> = fc.oneof(
  fc.string({ maxLength: 300 }).map((message) => Request.fromPartial({ echo: { message } })),
  fc.constant(Request.fromPartial({ flush: {} })),
  fc
    .record({ version: fc.string({ maxLength: 20 }), blockVersion: fc.bigInt(0n, 2n ** 64n - 1n) })
    .map((info) => Request.fromPartial({ info })),
  fc
    .record({ tx: fc.uint8Array({ maxLength: 2000 }), type: fc.constantFrom(0, 1) })
    .map((checkTx) => Request.fromPartial({ checkTx })),
  fc
    .record({ path: fc.string({ maxLength: 50 }), data: fc.uint8Array({ maxLength: 200 }), height: fc.bigInt(0n, 2n ** 62n) })
    .map((query) => Request.fromPartial({ query })),
  fc
    .record({ txs: fc.array(fc.uint8Array({ maxLength: 500 }), { maxLength: 5 }), height: fc.bigInt(1n, 2n ** 62n) })
    .map((finalizeBlock) => Request.fromPartial({ finalizeBlock })),
  fc.constant(Request.fromPartial({ commit: {} })),
);

describe('the ABCI frame codec', () => {
  it('puts Echo "hello" on the wire exactly as CometBFT v0.38 does', () => {
    expect(hex(encodeRequest(Request.fromPartial({ echo: { message: 'hello' } })))).toBe('090a070a0568656c6c6f');
  });

  it('puts request and response Flush on the wire exactly as CometBFT v0.38 does', () => {
    expect(hex(encodeRequest(Request.fromPartial({ flush: {} })))).toBe('021200');
    expect(hex(encodeResponse(Response.fromPartial({ flush: {} })))).toBe('021a00');
  });

  it('decodes the worked example bytes back to Echo "hello" and Flush', () => {
    const frames = new FrameDecoder().pushAll(unhex('09 0a070a0568656c6c6f 02 1200'));
    expect(frames.map(decodeRequest)).toEqual([
      Request.fromPartial({ echo: { message: 'hello' } }),
      Request.fromPartial({ flush: {} }),
    ]);
  });

  it('writes lengths as Go unsigned varints, not v0.34 zig-zag', () => {
    const cases: [number, string][] = [
      [0, '00'],
      [1, '01'],
      [127, '7f'],
      [128, '8001'],
      [300, 'ac02'],
      [16384, '808001'],
      [2 ** 53 - 1, 'ffffffffffffff0f'],
    ];
    for (const [n, want] of cases) {
      const out = new Uint8Array(uvarintLength(n));
      expect(writeUvarint(n, out, 0)).toBe(out.length);
      expect(hex(out)).toBe(want);
    }
    expect(() => writeUvarint(-1, new Uint8Array(10), 0)).toThrow(RangeError);
  });

  it('decodes any sequence of requests however the stream is chunked', () => {
    fc.assert(
      fc.property(fc.array(arbRequest, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 40 }), (reqs, cuts) => {
        const wire = concatAll(reqs.map(encodeRequest));
        const decoder = new FrameDecoder();
        const got: Request[] = [];
        for (const chunk of splitAt(wire, cuts)) decoder.push(chunk, (p) => got.push(decodeRequest(p)));
        decoder.end();
        expect(got).toEqual(reqs.map((r) => Request.decode(Request.encode(r).finish())));
        expect(decoder.idle).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes a stream delivered one byte at a time, splitting every length prefix', () => {
    const reqs = [
      Request.fromPartial({ checkTx: { tx: new Uint8Array(20000).fill(7) } }),
      Request.fromPartial({ flush: {} }),
      Request.fromPartial({ echo: { message: 'x'.repeat(200) } }),
    ];
    const wire = concatAll(reqs.map(encodeRequest));
    const decoder = new FrameDecoder();
    const got: Request[] = [];
    for (let i = 0; i < wire.length; i++) decoder.push(wire.subarray(i, i + 1), (p) => got.push(decodeRequest(p)));
    expect(got).toEqual(reqs);
  });

  it('reassembles a large frame sent in many chunks without holding more than its own bytes', () => {
    const payload = new Uint8Array(4 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = i & 0xff;
    const wire = encodeFrame(payload);
    const decoder = new FrameDecoder();
    const frames: Uint8Array[] = [];
    for (let off = 0; off < wire.length; off += 1000) {
      decoder.push(wire.subarray(off, off + 1000), (f) => frames.push(f));
      if (frames.length === 0) expect(decoder.bufferedBytes).toBeLessThanOrEqual(payload.length);
    }
    expect(frames).toHaveLength(1);
    expect(Buffer.from(frames[0]!).equals(Buffer.from(payload))).toBe(true);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('rejects a length prefix longer than ten bytes as an overlong varint', () => {
    const decoder = new FrameDecoder();
    expect(() => decoder.pushAll(new Uint8Array(11).fill(0x80))).toThrow(VarintOverflowError);
  });

  it('rejects a length prefix above 2^53 as an overlong varint, even split across chunks', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 2 ** 53 - 1 });
    decoder.pushAll(unhex('ffffffff'));
    expect(() => decoder.pushAll(unhex('ffffffff7f'))).toThrow(VarintOverflowError);
    // Poisoned: the stream cannot be resynchronised, so later input fails the same way.
    expect(() => decoder.pushAll(unhex('00'))).toThrow(VarintOverflowError);
  });

  it('accepts a frame of exactly the maximum size and rejects one byte more', () => {
    const ok = new FrameDecoder({ maxFrameBytes: 10 });
    expect(ok.pushAll(encodeFrame(new Uint8Array(10)))).toHaveLength(1);
    const tooBig = new FrameDecoder({ maxFrameBytes: 10 });
    expect(() => tooBig.pushAll(unhex('0b'))).toThrow(FrameTooLargeError);
  });

  it('rejects a frame above the default 64 MiB from its length prefix alone', () => {
    const decoder = new FrameDecoder();
    const prefix = new Uint8Array(uvarintLength(64 * 1024 * 1024 + 1));
    writeUvarint(64 * 1024 * 1024 + 1, prefix, 0);
    expect(() => decoder.pushAll(prefix)).toThrow(FrameTooLargeError);
  });

  it('accepts an InitChain above the limit up to its own limit, in one chunk or byte by byte, and nothing else that large', () => {
    const initChain = encodeRequest(Request.fromPartial({ initChain: { chainId: 'c', appStateBytes: new Uint8Array(200).fill(0x7b) } }));
    const query = encodeRequest(Request.fromPartial({ query: { path: 'p', data: new Uint8Array(200) } }));
    const opts = { maxFrameBytes: 100, initChainMaxFrameBytes: initChain.length - 1 };
    const whole = new FrameDecoder(opts);
    expect(whole.pushAll(initChain).map((f) => decodeRequest(f).initChain?.appStateBytes.length)).toEqual([200]);
    const split = new FrameDecoder(opts);
    const frames = [...initChain].flatMap((b) => split.pushAll(Uint8Array.of(b)));
    expect(frames.map((f) => decodeRequest(f).initChain?.chainId)).toEqual(['c']);
    // The same size as any other request is refused, as soon as its first byte tells.
    const other = new FrameDecoder(opts);
    expect(() => other.pushAll(query.subarray(0, 3))).toThrow(FrameTooLargeError); // its 2-byte length and first byte
    // Above its own limit, an InitChain is refused from its length prefix alone.
    const small = new FrameDecoder({ maxFrameBytes: 100, initChainMaxFrameBytes: 150 });
    expect(() => small.pushAll(initChain.subarray(0, 2))).toThrow(FrameTooLargeError);
    // The refusal names the limit that was passed, not only the one for other requests.
    expect(() => new FrameDecoder({ maxFrameBytes: 100, initChainMaxFrameBytes: 150 }).pushAll(initChain.subarray(0, 2))).toThrow(
      `frame of ${initChain.length - 2} bytes exceeds the maximum of 100 bytes (150 for a new chain's InitChain: the node's genesis.json + 1 MiB)`,
    );
  });

  it('delivers the frames before a fault and then reports the fault', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 5 });
    const got: Uint8Array[] = [];
    expect(() => decoder.push(unhex('021200 021200 09'), (f) => got.push(f))).toThrow(FrameTooLargeError);
    expect(got.map(hex)).toEqual(['1200', '1200']);
  });

  it('reports a stream that ends inside a frame body or a length prefix as truncated', () => {
    const body = new FrameDecoder();
    body.pushAll(unhex('09 0a07'));
    expect(() => body.end()).toThrow(TruncatedFrameError);
    const prefix = new FrameDecoder();
    prefix.pushAll(unhex('80'));
    expect(() => prefix.end()).toThrow(TruncatedFrameError);
    const clean = new FrameDecoder();
    clean.pushAll(unhex('021200'));
    expect(() => clean.end()).not.toThrow();
  });

  it('reports garbage protobuf inside a well-formed frame as a malformed message', () => {
    const [frame] = new FrameDecoder().pushAll(encodeFrame(unhex('0aff')));
    expect(() => decodeRequest(frame!)).toThrow(MalformedMessageError);
    expect(() => decodeRequest(unhex('0f'))).toThrow(MalformedMessageError); // wire type 7
  });

  it('never fails on random bytes with anything but a named codec error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 10 }), (bytes, cuts) => {
        const decoder = new FrameDecoder({ maxFrameBytes: 1024 });
        try {
          for (const chunk of splitAt(bytes, cuts)) decoder.push(chunk, (p) => decodeRequest(p));
          decoder.end();
        } catch (err) {
          expect(err).toBeInstanceOf(AbciCodecError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
