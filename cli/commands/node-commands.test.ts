// The commands that talk to a node, against an in-process fake CometBFT RPC (test-support/).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../main.ts';
import { FakeComet } from '../../test/support/fake-comet.ts';
import type { FakeCometOptions } from '../../test/support/fake-comet.ts';
import { memoryIo } from '../../test/support/cli-io.ts';

const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ALICE = 'cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9';
const BOB = 'cairn1hzjd8r8nrjmjmcahszlm6gvdt6sx9wxxc6r468';

let home: string;
let fake: FakeComet;

async function startFake(options: FakeCometOptions = {}): Promise<void> {
  fake = new FakeComet(options);
  await fake.start();
  fake.accounts.set(ALICE, { accountNumber: 7n, sequence: 3n, balances: [{ denom: 'ucairn', amount: '1500000' }, { denom: 'uatom', amount: '5' }] });
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'cairn-node-cmds-'));
  const io = memoryIo({ stdin: MNEMONIC });
  expect(await runCli(['keys', 'add', 'alice', '--recover', '--keyring-backend', 'test', '--home', home], io)).toBe(0);
});
afterEach(async () => {
  await fake.stop();
  await rm(home, { recursive: true, force: true });
});

async function cairn(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; json: () => Record<string, unknown> }> {
  const io = memoryIo();
  const code = await runCli([...args, '--node', fake.url, '--home', home, '--keyring-backend', 'test'], io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText(), json: () => JSON.parse(io.stdoutText()) as Record<string, unknown> };
}

describe('cairn status', () => {
  beforeEach(() => startFake());

  it('shows chain id, height, app hash, node version and sync state', async () => {
    const run = await cairn('status');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/chain id:\s+cairn-test-1/);
    expect(run.stdout).toMatch(/height:\s+10/);
    expect(run.stdout).toMatch(/app hash:\s+(07){32}/);
    expect(run.stdout).toMatch(/node version:\s+CometBFT 0\.38\.25/);
    expect(run.stdout).toMatch(/catching up:\s+no/);
  });

  it('prints exact JSON with bigints as strings', async () => {
    const run = await cairn('status', '--output', 'json');
    expect(run.json()).toMatchObject({
      chainId: 'cairn-test-1',
      latestBlockHeight: 10,
      latestAppHash: '07'.repeat(32),
      catchingUp: false,
      votingPower: '10',
      appInfo: 'cairn',
      latestBlockTime: '2026-11-22T06:00:00.123Z',
    });
  });
});

describe('cairn query', () => {
  beforeEach(() =>
    startFake({
      supply: [
        { denom: 'ua', amount: '1' },
        { denom: 'ub', amount: '2' },
        { denom: 'uc', amount: '3' },
        { denom: 'ucairn', amount: '21000000000000' },
        { denom: 'ud', amount: '340282366920938463463374607431768211455' },
      ],
    }),
  );

  it('shows an account with its number and sequence as strings in JSON', async () => {
    const run = await cairn('query', 'auth', 'account', ALICE, '-o', 'json');
    expect(run.code).toBe(0);
    expect(run.json()).toEqual({ address: ALICE, type: '/cosmos.auth.v1beta1.BaseAccount', accountNumber: '7', sequence: '3', pubkey: null });
  });

  it('says an unknown account does not exist yet and how accounts come to exist', async () => {
    const run = await cairn('query', 'auth', 'account', BOB);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`Error: account ${BOB} does not exist on chain yet: an account is created when it first receives tokens\n`);
  });

  it('shows balances with the CAIRN amount next to ucairn', async () => {
    const run = await cairn('query', 'bank', 'balances', ALICE);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ucairn\s+1500000\s+\(1\.5 CAIRN\)/);
    expect(run.stdout).toMatch(/uatom\s+5/);
    const json = await cairn('query', 'bank', 'balances', BOB, '-o', 'json');
    expect(json.json()).toEqual({ address: BOB, balances: [] });
  });

  it('follows the pagination of the total supply to the end and keeps u128 amounts exact', async () => {
    const run = await cairn('query', 'bank', 'total-supply', '-o', 'json');
    expect(run.code).toBe(0);
    const supply = run.json()['supply'] as Array<{ denom: string; amount: string }>;
    expect(supply.map((coin) => coin.denom)).toEqual(['ua', 'ub', 'uc', 'ucairn', 'ud']);
    expect(supply[4]?.amount).toBe('340282366920938463463374607431768211455');
  });

  it('refuses a malformed address before contacting the node', async () => {
    const run = await cairn('query', 'bank', 'balances', 'cairn1notanaddress');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is not a valid bech32 address/);
  });
});

describe('cairn tx bank send', () => {
  it('signs with the keyring key, broadcasts and prints the hash, code, height and gas', async () => {
    await startFake();
    const run = await cairn('tx', 'bank', 'send', 'alice', BOB, '250ucairn', '--fees', '5000ucairn', '--memo', 'thanks', '--timeout-height', '99', '-o', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = run.json();
    expect(result).toMatchObject({ code: 0, codespace: '', height: 11, gasWanted: '200000', gasUsed: '50000', fee: { amount: [{ denom: 'ucairn', amount: '5000' }], gas: '200000' } });
    expect(result['txhash']).toMatch(/^[0-9A-F]{64}$/);
    const [tx] = fake.received;
    expect(tx?.body.memo).toBe('thanks');
    expect(tx?.body.timeoutHeight).toBe(99n);
    expect(tx?.messages[0]).toMatchObject({ fromAddress: ALICE, toAddress: BOB, amount: [{ denom: 'ucairn', amount: '250' }] });
    expect(tx?.authInfo.signerInfos[0]?.modeInfo?.single?.mode).toBe(1);

    const shown = await cairn('query', 'tx', String(result['txhash']).toLowerCase(), '-o', 'json');
    expect(shown.json()).toMatchObject({ txhash: result['txhash'], code: 0, height: 11, memo: 'thanks', messages: ['/cosmos.bank.v1beta1.MsgSend'] });
  });

  it('simulates with --gas auto and pays gas × price, rounded up', async () => {
    await startFake({ simulateGas: 60_001n });
    const run = await cairn('tx', 'bank', 'send', 'alice', BOB, '1ucairn', '--gas', 'auto', '--gas-prices', '0.025ucairn', '-o', 'json');
    expect(run.code).toBe(0);
    // ceil(60001 × 1.4) = 84002 gas; ceil(84002 × 0.025) = 2101 ucairn
    expect(run.json()['fee']).toEqual({ amount: [{ denom: 'ucairn', amount: '2101' }], gas: '84002' });
  });

  it('names the codespace of a refused simulation and gives SDK advice only for SDK codes', async () => {
    await startFake({ simulateFails: { code: 5, codespace: 'slashing', log: 'validator not jailed; cannot be unjailed' } });
    let run = await cairn('tx', 'bank', 'send', 'alice', BOB, '1ucairn', '--gas', 'auto');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the transaction would fail, so nothing was sent \(simulation, slashing\/5\): validator not jailed; cannot be unjailed\n/);
    expect(run.stderr).not.toMatch(/insufficient funds/);
    await startFake({ simulateFails: { code: 5, codespace: 'sdk', log: 'spendable balance 0ucairn is smaller than 1ucairn: insufficient funds' } });
    run = await cairn('tx', 'bank', 'send', 'alice', BOB, '1ucairn', '--gas', 'auto');
    expect(run.stderr).toMatch(/\(simulation, sdk\/5\): .*insufficient funds; insufficient funds: the amount plus the fee exceeds the balance/);
  });

  it('prints the code, codespace, log and a hint when the node refuses the fee', async () => {
    await startFake({ checkTx: () => ({ code: 13, codespace: 'sdk', log: 'insufficient fees; got: 0ucairn required: 5000ucairn' }) });
    const run = await cairn('tx', 'bank', 'send', 'alice', BOB, '1ucairn');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/code:\s+13 \(failed\)/);
    expect(run.stdout).toMatch(/codespace:\s+sdk/);
    expect(run.stdout).toMatch(/log:\s+insufficient fees; got: 0ucairn required: 5000ucairn/);
    expect(run.stdout).toMatch(/height:\s+not included/);
    expect(run.stderr).toMatch(/^Error: transaction [0-9A-F]{64} failed with code 13 \(codespace sdk\): the fee is below the node's minimum gas price: raise --fees/);
  });

  it('signs again after the next block when another tx of the same account was pending, and only then', async () => {
    let refusals = 0;
    await startFake({
      checkTx: (tx) => {
        if (refusals > 0) return { code: 0 };
        refusals += 1;
        // Another tx of alice's (sequence 3) is in the mempool: the node expects 4; it makes the next block soon.
        setTimeout(() => {
          fake.accounts.get(ALICE)!.sequence += 1n;
          fake.height += 1;
        }, 300);
        return { code: 32, codespace: 'sdk', log: `account sequence mismatch, expected 4, got ${tx.authInfo.signerInfos[0]!.sequence}: incorrect account sequence` };
      },
    });
    const run = await cairn('tx', 'bank', 'send', 'alice', BOB, '5ucairn', '--fees', '0ucairn', '-o', 'json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/another transaction from cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9 is pending .*signing again after the next block \(1\/5\)/);
    expect(fake.received.map((tx) => tx.authInfo.signerInfos[0]!.sequence)).toEqual([3n, 4n]);

    // A sequence behind the signed one is not another pending tx: refused at once, not signed again.
    await fake.stop();
    await startFake({ checkTx: () => ({ code: 32, codespace: 'sdk', log: 'account sequence mismatch, expected 2, got 3: incorrect account sequence' }) });
    const behind = await cairn('tx', 'bank', 'send', 'alice', BOB, '5ucairn', '--fees', '0ucairn');
    expect(behind.code).toBe(1);
    expect(fake.received).toHaveLength(1);
    expect(behind.stderr).not.toMatch(/signing again/);
  });

  it('reports a failure inside the block with the codespace read back from the node', async () => {
    await startFake({ deliverTx: () => ({ code: 5, codespace: 'sdk', log: 'spendable balance 1ucairn is smaller than 9ucairn: insufficient funds', gasUsed: 30_000n }) });
    const run = await cairn('tx', 'bank', 'send', 'alice', BOB, '9ucairn', '--fees', '0ucairn', '-o', 'json');
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ code: 5, codespace: 'sdk', height: 11, gasUsed: '30000', log: expect.stringContaining('insufficient funds') as unknown });
    expect(run.json()['hint']).toMatch(/cairn query bank balances/);
  });

  it('blames the simulation when a tx with --gas auto runs out of gas', async () => {
    await startFake({ deliverTx: () => ({ code: 11, codespace: 'sdk', log: 'out of gas', gasUsed: 90_000n }) });
    const auto = await cairn('tx', 'bank', 'send', 'alice', BOB, '1ucairn', '--gas', 'auto', '-o', 'json');
    expect(auto.code).toBe(1);
    expect(auto.json()['hint']).toMatch(/the simulation underestimated it; raise --gas-adjustment/);
    const fixed = await cairn('tx', 'bank', 'send', 'alice', BOB, '1ucairn', '--gas', '1000', '-o', 'json');
    expect(fixed.json()['hint']).toBe('out of gas: raise --gas, or use --gas auto');
  });

  it('refuses to sign for another chain than --chain-id', async () => {
    await startFake();
    const run = await cairn('tx', 'bank', 'send', 'alice', BOB, '1ucairn', '--chain-id', 'cairn-main-1');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/serves chain 'cairn-test-1', not 'cairn-main-1'/);
    expect(fake.received).toHaveLength(0);
  });

  it('explains that an unfunded sender has no account yet', async () => {
    await startFake();
    fake.accounts.delete(ALICE);
    const run = await cairn('tx', 'bank', 'send', 'alice', BOB, '1ucairn');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the sender cairn1.* has no account on chain cairn-test-1 yet: .* fund it first/);
  });

  it('rejects --fees together with --gas-prices', async () => {
    await startFake();
    const run = await cairn('tx', 'bank', 'send', 'alice', BOB, '1ucairn', '--fees', '1ucairn', '--gas-prices', '0.1ucairn');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/either --fees or --gas-prices, not both/);
  });
});
