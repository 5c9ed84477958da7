// Query requests are decoded as strictly as the SDK decodes them: bytes that are not a message of
// the query's request type, fields the type does not define, and arguments outside their rules
// (a 10 KB denom) get a clear sdk/18 error instead of an answer to a question nobody asked.
import { BinaryWriter } from 'cosmjs-types/binary';
import { QueryBalanceRequest, QueryBalanceResponse, QuerySupplyOfRequest } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { QueryValidatorsRequest } from 'cosmjs-types/cosmos/staking/v1beta1/query';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../node/api/routes.ts';
import { AppChain } from './support/app-chain.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

let alice: TestWallet;
let chain: AppChain;
beforeAll(async () => {
  alice = await testWallet(0);
  chain = await AppChain.start({ funded: [{ address: alice.address, amount: 1_000_000n }] });
  await chain.block();
});

const BALANCE = '/cosmos.bank.v1beta1.Query/Balance';

function withField(bytes: Uint8Array, field: number, value: string): Uint8Array {
  const w = new BinaryWriter();
  w.uint32((field << 3) | 2).string(value);
  return Uint8Array.from([...bytes, ...w.finish()]);
}

describe('query requests', () => {
  it('answer a well-formed request', async () => {
    const r = await chain.query(BALANCE, QueryBalanceRequest.encode({ address: alice.address, denom: 'ucairn' }).finish());
    expect(r.code, r.log).toBe(0);
    expect(QueryBalanceResponse.decode(r.value).balance?.amount).toBe('1000000');
  });

  it('refuse a field the request type does not define, naming it', async () => {
    const bytes = withField(QueryBalanceRequest.encode({ address: alice.address, denom: 'ucairn' }).finish(), 7, 'surprise');
    const r = await chain.query(BALANCE, bytes);
    expect([r.codespace, r.code]).toEqual(['sdk', 18]);
    expect(r.log).toMatch(/field 7 is not part of the request/);
  });

  it('refuse bytes that are not a protobuf message at all', async () => {
    for (const garbage of [Uint8Array.of(0xff, 0xff, 0xff), Uint8Array.of(0x0a, 0x50, 0x01), Uint8Array.of(0x0b)]) {
      const r = await chain.query('/cosmos.staking.v1beta1.Query/Validators', garbage);
      expect([r.codespace, r.code], `bytes ${Buffer.from(garbage).toString('hex')}`).toEqual(['sdk', 18]);
    }
  });

  it('refuse a denom the SDK would refuse, without echoing all of it', async () => {
    const long = 'u' + 'c'.repeat(10_000);
    for (const [path, data] of [
      [BALANCE, QueryBalanceRequest.encode({ address: alice.address, denom: long }).finish()],
      ['/cosmos.bank.v1beta1.Query/SupplyOf', QuerySupplyOfRequest.encode({ denom: long }).finish()],
      [BALANCE, QueryBalanceRequest.encode({ address: alice.address, denom: '' }).finish()],
      [BALANCE, QueryBalanceRequest.encode({ address: alice.address, denom: '9bad' }).finish()],
    ] as const) {
      const r = await chain.query(path, data);
      expect([r.codespace, r.code]).toEqual(['sdk', 18]);
      expect(r.log).toMatch(/invalid denom/);
      expect(r.log.length).toBeLessThan(300);
    }
  });

  it('answer random bytes on every routed query with an answer or the caller’s error, changing nothing', async () => {
    const paths = ROUTES.filter((r) => !r.query.startsWith('/cosmos.tx.') && !r.query.startsWith('/cosmos.base.tendermint.'));
    const before = chain.store.lastAppHash;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.uint8Array({ maxLength: 64 }), async (route, bytes) => {
        const r = await chain.query(route.query, bytes);
        // An answer, or the caller's error: never an internal error, whatever the bytes.
        if (r.code !== 0) expect([r.codespace, r.code], r.log).not.toEqual(['sdk', 1]);
      }),
      { numRuns: 500 },
    );
    expect(chain.store.lastAppHash).toEqual(before);
    // Validators with an unknown status filter is still a request the staking module answers itself.
    expect((await chain.query('/cosmos.staking.v1beta1.Query/Validators', QueryValidatorsRequest.encode({ status: '' }).finish())).code).toBe(0);
  });
});
