import fc from 'fast-check';
import { Response, ResponseCheckTx, ResponseFinalizeBlock, type Event } from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import '../../proto/cosmjs-int64.ts';
import { encodeResponse, FrameDecoder } from './codec.ts';
import { encodeCheckTxFrame, encodeFinalizeBlockFrame } from './fast-response.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// Any UTF-16 string, lone surrogates included (past 127 UTF-8 bytes too: its length takes two bytes),
// long ASCII, and the empty string (a default, left out on the wire).
const text = fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 100 }), fc.string({ maxLength: 300 }));
const bytes = fc.uint8Array({ maxLength: 300 });
// int64: zero (left out), small, past 2^53, negative (ten bytes on the wire).
const int64 = fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 1n << 40n }), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }));
const event: fc.Arbitrary<Event> = fc.record({
  type: text,
  attributes: fc.array(fc.record({ key: text, value: text, index: fc.boolean() }), { maxLength: 6 }),
});
const txFields = {
  code: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffffffff })),
  data: bytes,
  log: text,
  info: text,
  gasWanted: int64,
  gasUsed: int64,
  events: fc.array(event, { maxLength: 5 }),
  codespace: text,
};

describe('CheckTx and FinalizeBlock responses encoded without cosmjs-types', () => {
  it('gives the same bytes as cosmjs-types for any CheckTx response', () => {
    fc.assert(
      fc.property(fc.record(txFields), (res) => {
        expect(hex(encodeCheckTxFrame(res))).toBe(hex(encodeResponse({ checkTx: res } as Response)));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same bytes as cosmjs-types for any FinalizeBlock response, updates included', () => {
    const finalize = fc.record({
      events: fc.array(event, { maxLength: 4 }),
      txResults: fc.array(fc.record(txFields), { maxLength: 8 }),
      validatorUpdates: fc.array(
        fc.record({ pubKey: fc.record({ ed25519: fc.uint8Array({ minLength: 32, maxLength: 32 }) }), power: int64 }),
        { maxLength: 3 },
      ),
      consensusParamUpdates: fc.option(fc.record({ block: fc.record({ maxBytes: int64, maxGas: int64 }) }), { nil: undefined }),
      appHash: fc.uint8Array({ maxLength: 32 }),
    });
    fc.assert(
      fc.property(finalize, ({ consensusParamUpdates, ...rest }) => {
        const res = ResponseFinalizeBlock.fromPartial(consensusParamUpdates === undefined ? rest : { ...rest, consensusParamUpdates });
        expect(hex(encodeFinalizeBlockFrame(res))).toBe(hex(encodeResponse({ finalizeBlock: res } as Response)));
      }),
      { numRuns: 300 },
    );
  });

  it('frames a block of 1,000 results with ten events each (multi-byte lengths) that decodes back', () => {
    const events = Array.from({ length: 10 }, (_, i) => ({
      type: `event${i}`,
      attributes: [
        { key: 'sender', value: 'cairn1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu', index: true },
        { key: 'amount', value: '5000ucairn', index: true },
        { key: 'msg_index', value: '0', index: false },
      ],
    }));
    const res = ResponseFinalizeBlock.fromPartial({
      txResults: Array.from({ length: 1000 }, (_, i) => ({ code: i % 7, data: new Uint8Array(40).fill(i), gasWanted: 80_000n, gasUsed: 61_234n + BigInt(i), events, codespace: i % 7 === 0 ? '' : 'sdk' })),
      appHash: new Uint8Array(32).fill(9),
    });
    const frame = encodeFinalizeBlockFrame(res);
    expect(hex(frame)).toBe(hex(encodeResponse({ finalizeBlock: res } as Response)));
    const [payload] = new FrameDecoder().pushAll(frame);
    expect(Response.decode(payload!).finalizeBlock?.txResults[999]?.gasUsed).toBe(61_234n + 999n);
  });

  it('refuses a response with a missing field, as cosmjs-types does', () => {
    const broken = { ...ResponseCheckTx.fromPartial({}), data: undefined } as unknown as ResponseCheckTx;
    expect(() => encodeCheckTxFrame(broken)).toThrow(TypeError);
    // The next response is encoded correctly: nothing was left behind by the failed one.
    const ok = ResponseCheckTx.fromPartial({ code: 5, log: 'insufficient fee', gasWanted: 1n });
    expect(hex(encodeCheckTxFrame(ok))).toBe(hex(encodeResponse({ checkTx: ok } as Response)));
  });
});
