import { makeSignDoc, serializeSignDoc } from '@cosmjs/amino';
import { AminoTypes, createDefaultAminoConverters } from '@cosmjs/stargate';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { TextProposal } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import { describe, expect, it } from 'vitest';
import { type AminoKind, type AminoSchema, camel, fieldDef, scaledDecToString } from './amino.ts';
import { bankMsgs } from './bank/messages.ts';
import { CAIRN_AMINO, cairnAminoConverters, cairnRegistry } from './cosmjs-registry.ts';
import { cairnAminoTypes } from './cosmjs-amino-types.ts';
import { distributionMsgs } from './distribution/messages.ts';
import { govV1beta1Msgs } from './gov/messages.ts';
import { stakingMsgs } from './staking/messages.ts';

/** A value for every field of a schema, none at its default: what a converter must carry both ways. */
function sample(schema: AminoSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(schema)) {
    const def = fieldDef(f);
    const one = sampleValue(def.kind);
    out[def.key ?? camel(name)] = def.repeated ? [one, one] : one;
  }
  return out;
}

function sampleValue(kind: AminoKind): unknown {
  switch (kind) {
    case 'string':
      return 'x<&>"\u00e9';
    case 'bool':
      return true;
    case 'number':
      return 3;
    case 'int64':
      return 9_007_199_254_740_993n; // above 2^53: survives only as a string
    case 'bytes':
      return new Uint8Array([0, 1, 254, 255]);
    case 'int':
      return '123456789012345678901234567890';
    case 'dec':
      return '1500000000000000000';
    case 'decBytes':
      return new TextEncoder().encode('20000000000000000');
    case 'timestamp':
      return { seconds: 1_700_000_000n, nanos: 120_000 };
    case 'duration':
      return { seconds: 1_209_600n, nanos: 1 };
    case 'any':
      return { typeUrl: '/cosmos.gov.v1beta1.TextProposal', value: TextProposal.encode({ title: 't', description: 'd' }).finish() };
    case 'pubkey':
      return { typeUrl: '/cosmos.crypto.ed25519.PubKey', value: Ed25519PubKey.encode({ key: new Uint8Array(32).fill(7) }).finish() };
    default:
      return sample(kind);
  }
}

function numbers(json: unknown): number[] {
  if (typeof json === 'number') return [json];
  if (Array.isArray(json)) return json.flatMap(numbers);
  if (typeof json === 'object' && json !== null) return Object.values(json).flatMap(numbers);
  return [];
}

describe('amino JSON of every message', () => {
  const aminoTypes = cairnAminoTypes();
  const registry = cairnRegistry();

  it('every message the chain accepts has an amino name of at most 39 characters, each name used once', () => {
    const names = CAIRN_AMINO.map((m) => m.aminoType);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(39);
    const msgUrls = [...registry['types'].keys()].filter((url) => /\.Msg\w+$/.test(url));
    expect(msgUrls.filter((url) => cairnAminoConverters()[url] === undefined)).toEqual([]);
    expect(cairnAminoConverters()['/cairn.registry.v1.MsgRegisterOperator']?.aminoType).toBe('cairn/MsgRegisterOperator');
    expect(cairnAminoConverters()['/cairn.receipts.v1.MsgUpdateParams']?.aminoType).toBe('cairn/x/receipts/MsgUpdateParams');
  });

  it.each(CAIRN_AMINO.map((m) => [m.typeUrl, m] as const))('%s goes to amino JSON and back to the same proto bytes, with integers only', (typeUrl, m) => {
    const value = m.type.fromPartial(sample(m.schema) as never);
    const amino = aminoTypes.toAmino({ typeUrl, value });
    expect(amino.type).toBe(m.aminoType);
    for (const n of numbers(amino.value)) expect(Number.isInteger(n)).toBe(true);
    const back = aminoTypes.fromAmino(JSON.parse(JSON.stringify(amino)));
    expect(back.typeUrl).toBe(typeUrl);
    expect(m.type.encode(m.type.fromPartial(back.value as never)).finish()).toEqual(m.type.encode(value).finish());
  });

  it('leaves default fields out, keeps the SDK dont_omitempty ones, writes 64-bit integers as strings and decimals with 18 places', () => {
    expect(aminoTypes.toAmino(bankMsgs.MsgSend({ fromAddress: 'a', toAddress: '' })).value).toEqual({ from_address: 'a', amount: [] });
    expect(aminoTypes.toAmino(govV1beta1Msgs.MsgVote({ voter: 'v', option: 1 })).value).toEqual({ proposal_id: '0', voter: 'v', option: 1 });
    expect(aminoTypes.toAmino({ typeUrl: '/cosmos.gov.v1.MsgVote', value: { proposalId: 12n, voter: 'v', option: 1 } })).toEqual({
      type: 'cosmos-sdk/v1/MsgVote',
      value: { proposal_id: '12', voter: 'v', option: 1 },
    });
    expect(scaledDecToString('100000000000000000')).toBe('0.100000000000000000');
    expect(scaledDecToString('-1')).toBe('-0.000000000000000001');
    expect(scaledDecToString('0.1')).toBe('0.100000000000000000');
    expect(() => scaledDecToString('1e5')).toThrow(/not a decimal/);
    const edit = aminoTypes.toAmino(stakingMsgs.MsgEditValidator({ validatorAddress: 'val', commissionRate: '50000000000000000' }));
    expect(edit.value).toEqual({ description: {}, validator_address: 'val', commission_rate: '0.050000000000000000' });
  });

  it('signs the same bytes as CosmJS’s own converters for the messages CosmJS knows', () => {
    const stock = new AminoTypes(createDefaultAminoConverters());
    const coins = [{ denom: 'ucairn', amount: '5' }];
    const msgs = [
      bankMsgs.MsgSend({ fromAddress: 'cairn1a', toAddress: 'cairn1b', amount: coins }),
      bankMsgs.MsgMultiSend({ inputs: [{ address: 'cairn1a', coins }], outputs: [{ address: 'cairn1b', coins }] }),
      stakingMsgs.MsgDelegate({ delegatorAddress: 'cairn1a', validatorAddress: 'cairnvaloper1v', amount: coins[0]! }),
      stakingMsgs.MsgUndelegate({ delegatorAddress: 'cairn1a', validatorAddress: 'cairnvaloper1v', amount: coins[0]! }),
      stakingMsgs.MsgBeginRedelegate({ delegatorAddress: 'cairn1a', validatorSrcAddress: 'cairnvaloper1v', validatorDstAddress: 'cairnvaloper1w', amount: coins[0]! }),
      distributionMsgs.MsgSetWithdrawAddress({ delegatorAddress: 'cairn1a', withdrawAddress: 'cairn1b' }),
      distributionMsgs.MsgWithdrawDelegatorReward({ delegatorAddress: 'cairn1a', validatorAddress: 'cairnvaloper1v' }),
      distributionMsgs.MsgFundCommunityPool({ depositor: 'cairn1a', amount: coins }),
      govV1beta1Msgs.MsgVote({ proposalId: 4n, voter: 'cairn1a', option: 1 }),
      govV1beta1Msgs.MsgDeposit({ proposalId: 4n, depositor: 'cairn1a', amount: coins }),
    ];
    const doc = (types: AminoTypes): string =>
      new TextDecoder().decode(serializeSignDoc(makeSignDoc(msgs.map((m) => types.toAmino(m)), { amount: coins, gas: '200000' }, 'cairn-1', 'memo', 3, 9)));
    expect(doc(aminoTypes)).toBe(doc(stock));
  });

  it('serialises a send as the SDK’s StdSignDoc: sorted keys, strings for every integer, <&> escaped', () => {
    const msg = aminoTypes.toAmino(bankMsgs.MsgSend({ fromAddress: 'cairn1a', toAddress: 'cairn1b', amount: [{ denom: 'ucairn', amount: '1' }] }));
    const bytes = serializeSignDoc(makeSignDoc([msg], { amount: [{ denom: 'ucairn', amount: '5000' }], gas: '200000' }, 'cairn-1', 'a<b', 7, 3));
    expect(new TextDecoder().decode(bytes)).toBe(
      '{"account_number":"7","chain_id":"cairn-1","fee":{"amount":[{"amount":"5000","denom":"ucairn"}],"gas":"200000"},"memo":"a\\u003cb",' +
        '"msgs":[{"type":"cosmos-sdk/MsgSend","value":{"amount":[{"amount":"1","denom":"ucairn"}],"from_address":"cairn1a","to_address":"cairn1b"}}],"sequence":"3"}',
    );
  });

  it('refuses amino JSON that does not fit the schema instead of guessing', () => {
    expect(() => aminoTypes.fromAmino({ type: 'cosmos-sdk/MsgSend', value: { from_address: 'a', extra: 1 } })).toThrow(/unknown field extra/);
    expect(() => aminoTypes.fromAmino({ type: 'cosmos-sdk/v1/MsgVote', value: { proposal_id: 1.5 } })).toThrow(/integer string/);
    expect(() => aminoTypes.fromAmino({ type: 'cosmos-sdk/v1/MsgVote', value: { option: 1.5 } })).toThrow(/integer/);
  });
});
