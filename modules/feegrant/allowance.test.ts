import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/framework/errors.ts';
import { basicAllowance, periodicAllowance, FEEGRANT_TYPE_URLS } from '../../sdk/feegrant/messages.ts';
import { AllowedMsgAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import { type Allowance, accept, decodeAllowance, startPeriod } from './allowance.ts';

const t = (seconds: number): { seconds: bigint; nanos: number } => ({ seconds: BigInt(seconds), nanos: 0 });
const coins = (amount: bigint, denom = 'ucairn') => [{ denom, amount }];
const SEND = ['/cosmos.bank.v1beta1.MsgSend'];

function code(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof AppError) return `${err.codespace}/${err.code}`;
    throw err;
  }
  return 'ok';
}

describe('a basic allowance', () => {
  const basic = decodeAllowance(basicAllowance({ spendLimit: [{ denom: 'ucairn', amount: '1000' }], expiration: t(100) }));

  it('spends fees from its limit and is used up when nothing is left', () => {
    const first = accept(basic, coins(400n), t(50), SEND);
    expect(first).toMatchObject({ ok: true, remove: false, updated: { spendLimit: coins(600n) } });
    const second = accept(first.ok ? first.updated : basic, coins(600n), t(60), SEND);
    expect(second).toMatchObject({ ok: true, remove: true });
  });

  it('refuses a fee above what is left, in a denom it lacks, or after it expired', () => {
    expect(accept(basic, coins(1001n), t(50), SEND)).toMatchObject({ ok: false, remove: false, error: { codespace: 'feegrant', code: 2 } });
    expect(accept(basic, coins(1n, 'uatom'), t(50), SEND)).toMatchObject({ ok: false, error: { code: 2 } });
    // Usable at its expiration time, expired right after it (the SDK's Before).
    expect(accept(basic, coins(1n), t(100), SEND).ok).toBe(true);
    expect(accept(basic, coins(1n), t(101), SEND)).toMatchObject({ ok: false, remove: true, error: { codespace: 'feegrant', code: 3 } });
  });

  it('without a spend limit pays any fee until it expires', () => {
    const unlimited = decodeAllowance(basicAllowance({}));
    expect(accept(unlimited, coins(10n ** 30n), t(10 ** 9), SEND)).toMatchObject({ ok: true, remove: false });
  });
});

describe('a periodic allowance', () => {
  const granted = startPeriod(
    decodeAllowance(
      periodicAllowance({
        basic: { spendLimit: [{ denom: 'ucairn', amount: '250' }] },
        period: { seconds: 10n, nanos: 0 },
        periodSpendLimit: [{ denom: 'ucairn', amount: '100' }],
        periodCanSpend: [{ denom: 'ucairn', amount: '100' }],
      }),
    ),
    t(1000),
  );

  it('starts its first period at the grant', () => {
    expect(granted).toMatchObject({ kind: 'periodic', periodReset: t(1010) });
  });

  it('caps each period, refills when it ends and stops at the total limit', () => {
    let a: Allowance = granted;
    const step = (fee: bigint, at: number) => {
      const r = accept(a, coins(fee), t(at), SEND);
      if (r.ok) a = r.updated;
      return r;
    };
    expect(step(60n, 1001).ok).toBe(true);
    expect(step(60n, 1002)).toMatchObject({ ok: false, error: { code: 2 } });
    expect(step(40n, 1003).ok).toBe(true);
    // Period over: refilled to 100, the next reset one period after the last.
    expect(step(100n, 1010)).toMatchObject({ ok: true, updated: { periodReset: t(1020), basic: { spendLimit: coins(50n) } } });
    // A long pause: the refill is capped by the 50 left overall, the reset one period from now.
    expect(step(51n, 1100)).toMatchObject({ ok: false, error: { code: 2 } });
    expect(step(50n, 1100)).toMatchObject({ ok: true, remove: true, updated: { periodReset: t(1110) } });
  });
});

describe('an allowance limited to some messages', () => {
  const any = {
    typeUrl: FEEGRANT_TYPE_URLS.AllowedMsgAllowance,
    value: AllowedMsgAllowance.encode({ allowance: basicAllowance({ spendLimit: [{ denom: 'ucairn', amount: '10' }] }), allowedMessages: SEND }).finish(),
  };

  it('pays only for txs whose every message is allowed', () => {
    const a = decodeAllowance(any);
    expect(accept(a, coins(5n), t(1), SEND)).toMatchObject({ ok: true, updated: { allowance: { spendLimit: coins(5n) } } });
    expect(accept(a, coins(5n), t(1), [...SEND, '/cosmos.staking.v1beta1.MsgDelegate'])).toMatchObject({ ok: false, error: { codespace: 'feegrant', code: 7 } });
  });
});

describe('malformed allowances are refused with the SDK codes', () => {
  it.each([
    ['no allowance', undefined, 'feegrant/5'],
    ['an unknown type', { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: new Uint8Array() }, 'sdk/2'],
    ['undecodable bytes', { typeUrl: FEEGRANT_TYPE_URLS.BasicAllowance, value: Uint8Array.of(0x0a, 0x05) }, 'sdk/2'],
    ['a field this chain does not know', { typeUrl: FEEGRANT_TYPE_URLS.BasicAllowance, value: Uint8Array.of(0x98, 0x06, 0x01) }, 'sdk/2'],
    ['a zero spend limit', basicAllowance({ spendLimit: [{ denom: 'ucairn', amount: '0' }] }), 'sdk/10'],
    ['a negative expiration', basicAllowance({ expiration: t(-5) }), 'feegrant/4'],
    ['no period limit', periodicAllowance({ period: { seconds: 5n, nanos: 0 } }), 'sdk/10'],
    [
      'a period limit in another denom',
      periodicAllowance({ basic: { spendLimit: coinsProto('uatom') }, period: { seconds: 5n, nanos: 0 }, periodSpendLimit: coinsProto('ucairn') }),
      'sdk/10',
    ],
    ['a negative period', periodicAllowance({ period: { seconds: -1n, nanos: 0 }, periodSpendLimit: coinsProto('ucairn') }), 'feegrant/4'],
    [
      'no allowed messages',
      { typeUrl: FEEGRANT_TYPE_URLS.AllowedMsgAllowance, value: AllowedMsgAllowance.encode({ allowance: basicAllowance({}), allowedMessages: [] }).finish() },
      'feegrant/6',
    ],
  ])('%s', (_name, any, expected) => {
    expect(code(() => decodeAllowance(any))).toBe(expected);
  });
});

function coinsProto(denom: string) {
  return [{ denom, amount: '5' }];
}
