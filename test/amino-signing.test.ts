// SIGN_MODE_LEGACY_AMINO_JSON in-process: what CosmJS's Secp256k1HdWallet (and a Ledger) signs is
// accepted, and every way of getting it wrong is refused with the SDK's code and changes nothing.
import type { StdFee } from '@cosmjs/stargate';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { beforeAll, describe, expect, it } from 'vitest';
import { bankMsgs } from '../sdk/bank/messages.ts';
import { AppChain, CHAIN_ID } from './support/app-chain.ts';
import { type AminoWallet, aminoWallet } from './support/amino-wallets.ts';

const FUNDS = 10_000_000_000n;
const FEE: StdFee = { amount: [{ denom: 'ucairn', amount: '5000' }], gas: '200000' };

async function sign(chain: AppChain, w: AminoWallet, msgs: EncodeObject[], o: { chainId?: string; memo?: string; fee?: StdFee; timeoutHeight?: bigint } = {}): Promise<TxRaw> {
  const account = await chain.account(w.address);
  return w.client.sign(w.address, msgs, o.fee ?? FEE, o.memo ?? '', { accountNumber: account.accountNumber, sequence: Number(account.sequence), chainId: o.chainId ?? CHAIN_ID }, o.timeoutHeight);
}

let alice: AminoWallet;
let bob: AminoWallet;

beforeAll(async () => {
  [alice, bob] = await Promise.all([aminoWallet(0), aminoWallet(1)]);
});

async function start(): Promise<AppChain> {
  const chain = await AppChain.start({ funded: [{ address: alice.address, amount: FUNDS }, { address: bob.address, amount: FUNDS }] });
  await chain.block();
  return chain;
}

function send(amount: string): EncodeObject {
  return bankMsgs.MsgSend({ fromAddress: alice.address, toAddress: bob.address, amount: [{ denom: 'ucairn', amount }] });
}

/** What a refused tx must leave alone: both balances and alice's sequence. */
async function state(chain: AppChain): Promise<string> {
  const account = await chain.account(alice.address);
  return `${await chain.balance(alice.address)} ${await chain.balance(bob.address)} ${account.sequence}`;
}

async function expectRefused(chain: AppChain, tx: TxRaw, code: number, log: RegExp): Promise<void> {
  const before = await state(chain);
  const bytes = TxRaw.encode(tx).finish();
  const check = await chain.checkTx(bytes);
  expect([check.codespace, check.code]).toEqual(['sdk', code]);
  expect(check.log).toMatch(log);
  const [result] = await chain.block([bytes]);
  expect([result!.codespace, result!.code]).toEqual(['sdk', code]);
  expect(await state(chain)).toBe(before);
}

describe('amino JSON (SIGN_MODE_LEGACY_AMINO_JSON) signatures', () => {
  it('accepts a send signed by a CosmJS Secp256k1HdWallet, with a memo that needs escaping, a timeout height and the fee payer set', async () => {
    const chain = await start();
    const tx = await sign(chain, alice, [send('1234'), send('1')], {
      memo: 'ledger <ok> & fine',
      timeoutHeight: 1000n,
      fee: { ...FEE, payer: alice.address },
    });
    const bytes = TxRaw.encode(tx).finish();
    expect((await chain.checkTx(bytes)).code).toBe(0);
    const [result] = await chain.block([bytes]);
    expect(result!.code).toBe(0);
    expect(await chain.balance(bob.address)).toBe(FUNDS + 1235n);
    expect(await chain.balance(alice.address)).toBe(FUNDS - 1235n - 5000n);
    expect((await chain.account(alice.address)).sequence).toBe(1n);
  });

  it('refuses a wrong signature with sdk/4 and changes nothing', async () => {
    const chain = await start();
    const tx = await sign(chain, alice, [send('10')]);
    const sig = Uint8Array.from(tx.signatures[0]!);
    sig[10]! ^= 1;
    await expectRefused(chain, { ...tx, signatures: [sig] }, 4, /signature verification failed; please verify account number \(\d+\), sequence \(0\) and chain-id \(cairn-test-1\)/);
  });

  it('refuses a tx signed for another chain id with sdk/4', async () => {
    const chain = await start();
    await expectRefused(chain, await sign(chain, alice, [send('10')], { chainId: 'other-chain' }), 4, /signature verification failed/);
  });

  it('refuses a message changed after signing with sdk/4', async () => {
    const chain = await start();
    const tx = await sign(chain, alice, [send('10')]);
    const body = TxBody.decode(tx.bodyBytes);
    const msg = MsgSend.decode(body.messages[0]!.value);
    body.messages[0]!.value = MsgSend.encode({ ...msg, amount: [{ denom: 'ucairn', amount: '1000000' }] }).finish();
    await expectRefused(chain, { ...tx, bodyBytes: TxBody.encode(body).finish() }, 4, /signature verification failed/);
  });

  it('refuses a changed memo or fee with sdk/4 (both are signed)', async () => {
    const chain = await start();
    const tx = await sign(chain, alice, [send('10')], { memo: 'a' });
    const body = TxBody.decode(tx.bodyBytes);
    await expectRefused(chain, { ...tx, bodyBytes: TxBody.encode({ ...body, memo: 'b' }).finish() }, 4, /signature verification failed/);
  });
});
