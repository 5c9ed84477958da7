// MsgUpdateParams of the Cosmos modules (auth, bank, staking, slashing, distribution), as the SDK
// 0.50 defines them: only the params authority may sign, the new set passes the checks genesis runs,
// and the module's Params query answers the new values. The chain here names a test key as the
// authority (a real chain's is the gov module account, which no key signs for).
import type { EncodeObject } from '@cosmjs/proto-signing';
import { QueryParamsResponse as AuthParamsResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import type { Params as AuthParams } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryParamsResponse as BankParamsResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import type { Params as BankParams } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { QueryParamsResponse as DistributionParamsResponse } from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import type { Params as DistributionParams } from 'cosmjs-types/cosmos/distribution/v1beta1/distribution';
import { QueryParamsResponse as SlashingParamsResponse } from 'cosmjs-types/cosmos/slashing/v1beta1/query';
import type { Params as SlashingParams } from 'cosmjs-types/cosmos/slashing/v1beta1/slashing';
import { QueryParamsResponse as StakingParamsResponse } from 'cosmjs-types/cosmos/staking/v1beta1/query';
import type { Params as StakingParams } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import { AddressCodec, moduleAddress } from '../core/framework/address.ts';
import { authMsgs } from '../sdk/auth/messages.ts';
import { bankMsgs } from '../sdk/bank/messages.ts';
import { distributionMsgs } from '../sdk/distribution/messages.ts';
import { slashingMsgs } from '../sdk/slashing/messages.ts';
import { stakingMsgs } from '../sdk/staking/messages.ts';
import { StakingView } from '../modules/staking/view.ts';
import { defaultAppState } from '../node/genesis.ts';
import { AppChain, checkAppState } from './support/app-chain.ts';
import { sendTx } from './support/staking.ts';
import { type TestWallet, sendMsg, testWallet } from './support/wallets.ts';

interface Governed {
  readonly chain: AppChain;
  /** Holds the key the chain's authority is. */
  readonly gov: TestWallet;
  readonly other: TestWallet;
}

async function governed(authority: 'gov-key' | 'gov-module' = 'gov-key'): Promise<Governed> {
  const [gov, other] = await Promise.all([testWallet(3), testWallet(0)]);
  const chain = await AppChain.start({
    funded: [gov, other].map((w) => ({ address: w.address, amount: 10n ** 12n })),
    ...(authority === 'gov-key' ? { authority: new AddressCodec('cairn').decode(gov.address) } : {}),
  });
  await chain.block();
  return { chain, gov, other };
}

async function query<T>(chain: AppChain, path: string, decode: (bytes: Uint8Array) => T): Promise<T> {
  const r = await chain.query(path, new Uint8Array());
  if (r.code !== 0) throw new Error(r.log);
  return decode(r.value);
}

function expectOk(r: ExecTxResult, typeUrl: string, module: string, authority: string): void {
  expect(r.log).toBe('');
  expect(r.code).toBe(0);
  const message = r.events.find((e) => e.type === 'message' && e.attributes.some((a) => a.key === 'action' && a.value === typeUrl));
  expect(Object.fromEntries(message!.attributes.map((a) => [a.key, a.value]))).toMatchObject({ sender: authority, module });
}

function expectRefused(r: ExecTxResult, codespace: string, code: number, log: string): void {
  expect({ codespace: r.codespace, code: r.code }).toEqual({ codespace, code });
  expect(r.log).toContain(log);
}

/** The SDK's code for a MsgUpdateParams from anyone but the authority (gov/ErrInvalidSigner). */
const INVALID_SIGNER = ['gov', 13] as const;
/** Cairn's code for a param set its module's checks refuse (sdk/ErrInvalidRequest). */
const INVALID_PARAMS = ['sdk', 18] as const;

describe('auth MsgUpdateParams', () => {
  const params = (chain: AppChain) => query(chain, '/cosmos.auth.v1beta1.Query/Params', (b) => AuthParamsResponse.decode(b).params!);
  const update = (authority: string, p: AuthParams): EncodeObject => authMsgs.MsgUpdateParams({ authority, params: p });

  it('from the authority replaces the params, as the Params query then answers', async () => {
    const { chain, gov } = await governed();
    const next = { ...(await params(chain)), txSigLimit: 3n, maxMemoCharacters: 512n, txSizeCostPerByte: 12n };
    expectOk(await sendTx(chain, gov, [update(gov.address, next)]), '/cosmos.auth.v1beta1.MsgUpdateParams', 'auth', gov.address);
    expect(await params(chain)).toEqual(next);
  });

  it('from anyone else is refused with the gov code and changes nothing', async () => {
    const { chain, gov, other } = await governed();
    const before = await params(chain);
    const r = await sendTx(chain, other, [update(other.address, { ...before, txSigLimit: 1n })]);
    expectRefused(r, ...INVALID_SIGNER, `invalid authority; expected ${gov.address}, got ${other.address}`);
    expect(await params(chain)).toEqual(before);
  });

  it('by default belongs to the gov module account, so no key can sign it', async () => {
    const { chain, gov } = await governed('gov-module');
    const before = await params(chain);
    const r = await sendTx(chain, gov, [update(gov.address, { ...before, txSigLimit: 1n })]);
    expectRefused(r, ...INVALID_SIGNER, `expected ${chain.app.addresses.encode(moduleAddress('gov'))}`);
    expect(await params(chain)).toEqual(before);
  });

  it('with an invalid set is refused, naming the field, and changes nothing', async () => {
    const { chain, gov } = await governed();
    const before = await params(chain);
    const fields = [
      ['txSigLimit', 'tx_sig_limit'],
      ['maxMemoCharacters', 'max_memo_characters'],
      ['txSizeCostPerByte', 'tx_size_cost_per_byte'],
      ['sigVerifyCostEd25519', 'sig_verify_cost_ed25519'],
      ['sigVerifyCostSecp256k1', 'sig_verify_cost_secp256k1'],
    ] as const;
    for (const [field, name] of fields) {
      expectRefused(await sendTx(chain, gov, [update(gov.address, { ...before, [field]: 0n })]), ...INVALID_PARAMS, `invalid params: ${name} must be positive, got 0`);
    }
    expect(await params(chain)).toEqual(before);
  });
});

describe('bank MsgUpdateParams', () => {
  const params = (chain: AppChain) => query(chain, '/cosmos.bank.v1beta1.Query/Params', (b) => BankParamsResponse.decode(b).params!);
  const update = (authority: string, p: BankParams): EncodeObject => bankMsgs.MsgUpdateParams({ authority, params: p });

  it('from the authority replaces the params: with default_send_enabled false, MsgSend is refused', async () => {
    const { chain, gov, other } = await governed();
    expectOk(await sendTx(chain, gov, [update(gov.address, { sendEnabled: [], defaultSendEnabled: false })]), '/cosmos.bank.v1beta1.MsgUpdateParams', 'bank', gov.address);
    expect(await params(chain)).toEqual({ sendEnabled: [], defaultSendEnabled: false });
    expectRefused(await sendTx(chain, other, [sendMsg(other.address, gov.address, '5')]), 'bank', 5, 'ucairn transfers are currently disabled');
  });

  it('from anyone else is refused with the gov code and changes nothing', async () => {
    const { chain, gov, other } = await governed();
    const r = await sendTx(chain, other, [update(other.address, { sendEnabled: [], defaultSendEnabled: false })]);
    expectRefused(r, ...INVALID_SIGNER, `expected ${gov.address}, got ${other.address}`);
    expect(await params(chain)).toEqual({ sendEnabled: [], defaultSendEnabled: true });
  });

  it('with per-denom send_enabled entries (no longer params in the SDK) is refused and changes nothing', async () => {
    const { chain, gov } = await governed();
    const r = await sendTx(chain, gov, [update(gov.address, { sendEnabled: [{ denom: 'ucairn', enabled: false }], defaultSendEnabled: false })]);
    expectRefused(r, ...INVALID_PARAMS, 'invalid params: send_enabled in params is no longer supported');
    expect(await params(chain)).toEqual({ sendEnabled: [], defaultSendEnabled: true });
  });
});

describe('distribution MsgUpdateParams', () => {
  const params = (chain: AppChain) => query(chain, '/cosmos.distribution.v1beta1.Query/Params', (b) => DistributionParamsResponse.decode(b).params!);
  const update = (authority: string, p: Partial<DistributionParams>): EncodeObject => distributionMsgs.MsgUpdateParams({ authority, params: { communityTax: '0', baseProposerReward: '0', bonusProposerReward: '0', withdrawAddrEnabled: true, ...p } });
  const DEFAULT = { communityTax: '0', baseProposerReward: '0', bonusProposerReward: '0', withdrawAddrEnabled: true };

  it('from the authority replaces the params, as the Params query then answers', async () => {
    const { chain, gov } = await governed();
    // 0.02 as the proto Dec: 18-decimal atomics
    expectOk(await sendTx(chain, gov, [update(gov.address, { communityTax: '20000000000000000', withdrawAddrEnabled: false })]), '/cosmos.distribution.v1beta1.MsgUpdateParams', 'distribution', gov.address);
    expect(await params(chain)).toEqual({ ...DEFAULT, communityTax: '20000000000000000', withdrawAddrEnabled: false });
  });

  it('from anyone else is refused with the gov code and changes nothing', async () => {
    const { chain, gov, other } = await governed();
    expectRefused(await sendTx(chain, other, [update(other.address, { communityTax: '20000000000000000' })]), ...INVALID_SIGNER, `expected ${gov.address}, got ${other.address}`);
    expect(await params(chain)).toEqual(DEFAULT);
  });

  it('with an invalid set is refused with a clear log and changes nothing', async () => {
    const { chain, gov } = await governed();
    const bad: [Partial<DistributionParams>, number, string][] = [
      [{ communityTax: '1000000000000000001' }, 18, 'invalid params: community_tax must be between 0 and 1, got 1.000000000000000001'],
      [{ communityTax: '' }, 18, 'invalid params: community_tax must not be empty'],
      [{ communityTax: '-1' }, 18, 'invalid decimal "-1"'],
      [{ baseProposerReward: '10000000000000000' }, 18, 'cannot update base or bonus proposer reward because these are deprecated fields'],
      [{ bonusProposerReward: '10000000000000000' }, 18, 'cannot update base or bonus proposer reward'],
    ];
    for (const [change, code, log] of bad) expectRefused(await sendTx(chain, gov, [update(gov.address, change)]), 'sdk', code, log);
    expect(await params(chain)).toEqual(DEFAULT);
  });
});

describe('slashing MsgUpdateParams', () => {
  const params = (chain: AppChain) => query(chain, '/cosmos.slashing.v1beta1.Query/Params', (b) => SlashingParamsResponse.decode(b).params!);
  const dec = (atomics: string) => new TextEncoder().encode(atomics);
  const update = (authority: string, p: SlashingParams): EncodeObject => slashingMsgs.MsgUpdateParams({ authority, params: p });

  it('from the authority replaces the params, as the Params query then answers', async () => {
    const { chain, gov } = await governed();
    const next: SlashingParams = {
      signedBlocksWindow: 200n,
      minSignedPerWindow: dec('900000000000000000'), // 0.9
      downtimeJailDuration: { seconds: 3600n, nanos: 0 },
      slashFractionDoubleSign: dec('100000000000000000'), // 0.1
      slashFractionDowntime: dec('1000000000000000'), // 0.001
    };
    expectOk(await sendTx(chain, gov, [update(gov.address, next)]), '/cosmos.slashing.v1beta1.MsgUpdateParams', 'slashing', gov.address);
    expect(await params(chain)).toEqual(next);
  });

  it('from anyone else is refused with the gov code and changes nothing', async () => {
    const { chain, gov, other } = await governed();
    const before = await params(chain);
    expectRefused(await sendTx(chain, other, [update(other.address, { ...before, signedBlocksWindow: 5n })]), ...INVALID_SIGNER, `expected ${gov.address}, got ${other.address}`);
    expect(await params(chain)).toEqual(before);
  });

  it('with an invalid set is refused with a clear log and changes nothing', async () => {
    const { chain, gov } = await governed();
    const before = await params(chain);
    const bad: [Partial<SlashingParams>, string][] = [
      [{ signedBlocksWindow: 0n }, 'invalid params: signed_blocks_window must be positive, got 0'],
      [{ minSignedPerWindow: dec('1500000000000000000') }, 'invalid params: min_signed_per_window (min_signed_bps) must be between 0 and 1 (10000 bps), got 15000 bps'],
      [{ minSignedPerWindow: dec('') }, 'invalid params: min_signed_per_window must not be empty'],
      [{ slashFractionDoubleSign: dec('123456789012345678') }, 'slash_fraction_double_sign 0.123456789012345678 is finer than Cairn\'s basis points'],
      [{ slashFractionDowntime: dec('2000000000000000000') }, 'slash_fraction_downtime (downtime_bps) must be between 0 and 1'],
      [{ downtimeJailDuration: { seconds: 0n, nanos: 0 } }, 'invalid params: downtime_jail_duration must be positive, got 0s'],
    ];
    for (const [change, log] of bad) expectRefused(await sendTx(chain, gov, [update(gov.address, { ...before, ...change })]), ...INVALID_PARAMS, log);
    expect(await params(chain)).toEqual(before);
  });
});

describe('staking MsgUpdateParams', () => {
  const params = (chain: AppChain) => query(chain, '/cosmos.staking.v1beta1.Query/Params', (b) => StakingParamsResponse.decode(b).params!);
  const update = (authority: string, p: StakingParams): EncodeObject => stakingMsgs.MsgUpdateParams({ authority, params: p });

  it('from the authority replaces the params, as the Params query then answers (unbonding in whole blocks)', async () => {
    const { chain, gov } = await governed();
    // The test chain's blocks are 5 s apart: one hour is 720 blocks, which the query reports back as one hour.
    const next: StakingParams = { ...(await params(chain)), unbondingTime: { seconds: 3600n, nanos: 0 }, maxValidators: 7, maxEntries: 3, minCommissionRate: '50000000000000000' };
    expectOk(await sendTx(chain, gov, [update(gov.address, next)]), '/cosmos.staking.v1beta1.MsgUpdateParams', 'staking', gov.address);
    expect(await params(chain)).toEqual(next);
    expect((await new StakingView().params(chain.store.committed)).unbondingBlocks).toBe(720n);
  });

  it('from anyone else is refused with the gov code and changes nothing', async () => {
    const { chain, gov, other } = await governed();
    const before = await params(chain);
    expectRefused(await sendTx(chain, other, [update(other.address, { ...before, maxValidators: 1 })]), ...INVALID_SIGNER, `expected ${gov.address}, got ${other.address}`);
    expect(await params(chain)).toEqual(before);
  });

  it('with an invalid set, or another bond denom, is refused with a clear log and changes nothing', async () => {
    const { chain, gov } = await governed();
    const before = await params(chain);
    const bad: [Partial<StakingParams>, string][] = [
      [{ maxValidators: 0 }, 'invalid params: max_validators must be positive, got 0'],
      [{ maxEntries: 0 }, 'invalid params: max_entries must be positive, got 0'],
      [{ bondDenom: '' }, 'invalid params: bond_denom cannot be blank'],
      [{ bondDenom: '1x' }, 'invalid params: bond_denom "1x" is not a valid denom'],
      [{ unbondingTime: { seconds: 0n, nanos: 0 } }, 'invalid params: unbonding_time (unbonding_blocks) must be positive'],
      [{ minCommissionRate: '1100000000000000000' }, 'invalid params: min_commission_rate must be between 0 and 1, got 1.100000000000000000'],
      [{ bondDenom: 'uatom' }, 'invalid params: bond_denom is ucairn and cannot change'],
    ];
    for (const [change, log] of bad) expectRefused(await sendTx(chain, gov, [update(gov.address, { ...before, ...change })]), ...INVALID_PARAMS, log);
    expect(await params(chain)).toEqual(before);
  });
});

describe('genesis runs the same params checks as MsgUpdateParams', () => {
  const withParams = (module: string, params: Record<string, unknown>) => {
    const state = defaultAppState();
    return { ...state, [module]: { ...(state[module] as object), params: { ...((state[module] as { params: object }).params), ...params } } };
  };

  it.each([
    ['auth', { tx_sig_limit: '0' }, 'auth.params: tx_sig_limit must be positive, got 0'],
    ['auth', { max_memo_characters: '0' }, 'auth.params: max_memo_characters must be positive, got 0'],
    ['bank', { send_enabled: [{ denom: 'ucairn', enabled: false }] }, 'bank.params: send_enabled in params is no longer supported'],
    ['bank', { default_send_enabled: 'yes' }, 'bank.params.default_send_enabled: expected a boolean'],
    ['staking', { max_validators: 0 }, 'staking.params: max_validators must be positive, got 0'],
    ['staking', { unbonding_blocks: '0' }, 'staking.params: unbonding_time (unbonding_blocks) must be positive'],
    ['staking', { bond_denom: '' }, 'staking.params: bond_denom cannot be blank'],
    ['slashing', { signed_blocks_window: '0' }, 'slashing.params: signed_blocks_window must be positive, got 0'],
    ['slashing', { min_signed_bps: '10001' }, 'slashing.params: min_signed_per_window (min_signed_bps) must be between 0 and 1 (10000 bps), got 10001 bps'],
    ['distribution', { community_tax: '1.5' }, 'distribution.params: community_tax must be between 0 and 1, got 1.500000000000000000'],
  ])('%s %j', async (module, params, message) => {
    await expect(checkAppState(withParams(module, params))).rejects.toThrow(message);
  });
});
