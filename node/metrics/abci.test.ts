import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CHAIN_ID } from '../../test/support/app-chain.ts';
import { sendMsg, signTx, testWallet } from '../../test/support/wallets.ts';
import { AbciMetrics } from './abci.ts';

const SEND = '/cosmos.bank.v1beta1.MsgSend';

describe('the msg_type label (kept per tx bytes)', () => {
  it('labels each tx by its own bytes, however often and in whatever order it is asked', async () => {
    const m = new AbciMetrics(new Registry(), new Set([SEND]));
    const alice = await testWallet(0);
    const tx = await signTx(alice, [sendMsg(alice.address, alice.address, '1')], { chainId: CHAIN_ID, accountNumber: 0n, sequence: 0n });
    // The same tx with its body's type URL changed by one byte: another label, never the kept one.
    const raw = TxRaw.decode(tx);
    const at = Buffer.from(raw.bodyBytes).indexOf('MsgSend');
    raw.bodyBytes[at] = 'N'.charCodeAt(0);
    const other = TxRaw.encode(raw).finish();
    const junk = tx.subarray(0, 40);
    for (let i = 0; i < 3; i++) {
      expect(m.msgType(tx)).toBe(SEND);
      expect(m.msgType(other)).toBe('unknown');
      expect(m.msgType(junk)).toBe('undecodable');
    }
  });
});
