import { describe, expect, it } from 'vitest';
import { bankMsgs } from './bank/messages.ts';
import { registryMsgs } from './registry/messages.ts';
import { REGISTRY_TYPE_URLS, type RegistryEncodeObject } from './registry/messages.ts';

describe('a face’s EncodeObject builders', () => {
  it('pair the message’s type URL with the value given', () => {
    const msg: RegistryEncodeObject<'MsgAddBond'> = registryMsgs.MsgAddBond({ operator: 'cairn1op', amount: { denom: 'ucairn', amount: '5' } });
    expect(msg).toEqual({ typeUrl: '/cairn.registry.v1.MsgAddBond', value: { operator: 'cairn1op', amount: { denom: 'ucairn', amount: '5' } } });
    expect(bankMsgs.MsgSend({ fromAddress: 'a' }).typeUrl).toBe('/cosmos.bank.v1beta1.MsgSend');
  });

  it('refuse, at compile time, a field the message does not have', () => {
    // @ts-expect-error MsgAddBond has no field "bond".
    const wrong = registryMsgs.MsgAddBond({ bond: '5' });
    // @ts-expect-error the literal type URL of MsgAddBond is not MsgUnjailOperator's.
    const mislabelled: RegistryEncodeObject<'MsgAddBond'> = { typeUrl: REGISTRY_TYPE_URLS.MsgUnjailOperator, value: {} };
    expect([wrong.typeUrl, mislabelled.typeUrl]).toEqual([REGISTRY_TYPE_URLS.MsgAddBond, REGISTRY_TYPE_URLS.MsgUnjailOperator]);
  });
});
