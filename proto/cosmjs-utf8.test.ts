// The patched string reader gives what cosmjs-types' own utf8Read gives, for ASCII and for anything else.
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { utf8Read } from 'cosmjs-types/utf8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import './cosmjs-utf8.ts';

describe('protobuf strings decode as cosmjs-types decodes them', () => {
  it('for every string and for arbitrary bytes in a string field', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), fc.uint8Array({ maxLength: 40 }), (text, raw) => {
        const bytes = new BinaryWriter().string(text).bytes(raw).finish();
        const reader = new BinaryReader(bytes);
        expect(reader.string()).toBe(text);
        // The same bytes read as a string field: ASCII or not, utf8Read's answer.
        expect(reader.string()).toBe(utf8Read(raw, 0, raw.length));
        expect(reader.pos).toBe(bytes.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('in a message read back', () => {
    const msg = { fromAddress: 'cairn1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', toAddress: 'cairn1zébra', amount: [{ denom: 'ucairn', amount: '12345' }] };
    expect(MsgSend.decode(MsgSend.encode(msg).finish())).toEqual(msg);
  });
});
