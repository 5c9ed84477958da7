// A fixed stream of blocks of bank sends, good and bad, built from the test mnemonics: CosmJS signs
// deterministically (RFC 6979), so the same code gives the same bytes on every run. The consensus
// replay test runs it and compares every block with what the code gave when the stream was recorded.
import { createHash } from 'node:crypto';
import { ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { AddressCodec } from '../../core/framework/address.ts';
import { AppChain, CHAIN_ID } from './app-chain.ts';
import { type TestWallet, sendMsg, signTx, testWallet } from './wallets.ts';

/** 6,000 ucairn: one 5,000 fee leaves too little for a second one. */
const POOR_FUNDS = 6_000n;
const FUNDS = 1_000_000_000n;

export interface RecordedTx {
  readonly code: number;
  readonly codespace: string;
  readonly gasUsed: string;
  readonly log: string;
}

export interface RecordedBlock {
  readonly height: string;
  readonly appHash: string;
  readonly txs: readonly RecordedTx[];
  /** sha256 of the whole encoded ResponseFinalizeBlock (events, results, data, app hash). */
  readonly response: string;
}

export interface StreamWallets {
  readonly rich: readonly TestWallet[];
  readonly poor: TestWallet;
}

export async function streamWallets(): Promise<StreamWallets> {
  const [a, b, c, poor] = await Promise.all([0, 1, 2, 3].map((i) => testWallet(i)));
  return { rich: [a!, b!, c!], poor: poor! };
}

/** The chain after its first (empty) block, so that accounts can be queried. */
export async function streamChain(w: StreamWallets): Promise<AppChain> {
  const chain = await AppChain.start({ funded: [...w.rich.map((r) => ({ address: r.address, amount: FUNDS })), { address: w.poor.address, amount: POOR_FUNDS }] });
  await chain.block();
  return chain;
}

/**
 * The blocks' txs. Besides plain sends: a sequence from the future, a replay of an included tx, a
 * signature for another chain id, one for another account number, a send bigger than the balance
 * (the fee is still paid), a fee the payer cannot pay, bytes that are not a tx, a send to a new
 * account, and several sends of one account in one block.
 */
export async function streamBlocks(w: StreamWallets, accountNumber: (address: string) => Promise<bigint>): Promise<Uint8Array[][]> {
  const [alice, bob, carol] = w.rich as [TestWallet, TestWallet, TestWallet];
  const { poor } = w;
  const numbers = new Map<string, bigint>();
  for (const x of [alice, bob, carol, poor]) numbers.set(x.address, await accountNumber(x.address));
  const seq = new Map<string, bigint>();
  const send = async (from: TestWallet, to: string, amount: string, o: { sequence?: bigint; chainId?: string; accountNumber?: bigint; keep?: boolean } = {}): Promise<Uint8Array> => {
    const next = seq.get(from.address) ?? 0n;
    const sequence = o.sequence ?? next;
    // A tx that will be refused in the ante does not use its sequence.
    if (o.keep !== false && o.sequence === undefined) seq.set(from.address, next + 1n);
    return signTx(from, [sendMsg(from.address, to, amount)], { chainId: o.chainId ?? CHAIN_ID, accountNumber: o.accountNumber ?? numbers.get(from.address)!, sequence });
  };
  const newcomer = new AddressCodec('cairn').encode(new Uint8Array(20).fill(7));
  const first = await send(alice, bob.address, '1000');
  const blocks: Uint8Array[][] = [];
  blocks.push([
    first,
    await send(alice, carol.address, '2000'),
    await send(bob, alice.address, '500'),
    await send(alice, newcomer, '777'),
    // The fee (5,000) is paid, the send (5,000 of the 1,000 left) fails: code 5, the sequence still moves.
    await send(poor, alice.address, '5000'),
    await send(carol, bob.address, '3', { sequence: 9n }),
    await send(bob, carol.address, '1', { chainId: 'another-chain', keep: false }),
  ]);
  blocks.push([
    first,
    // The poor account has 1,000 left: the fee is refused before anything runs.
    await send(poor, alice.address, '1', { keep: false }),
    new Uint8Array([1, 2, 3, 4]),
    await send(carol, alice.address, '42'),
    await send(carol, alice.address, '43'),
    await send(carol, bob.address, '1', { accountNumber: numbers.get(carol.address)! + 1n, keep: false }),
    await send(bob, newcomer, '5'),
  ]);
  blocks.push([]);
  const many: Uint8Array[] = [];
  for (let i = 0; i < 8; i++) many.push(await send([alice, bob, carol][i % 3]!, [bob, carol, alice][i % 3]!.address, String(100 + i)));
  blocks.push(many);
  return blocks;
}

export function recordBlock(height: bigint, res: ResponseFinalizeBlock): RecordedBlock {
  return {
    height: String(height),
    appHash: Buffer.from(res.appHash).toString('hex'),
    txs: res.txResults.map((r) => ({ code: r.code, codespace: r.codespace, gasUsed: String(r.gasUsed), log: r.log })),
    response: createHash('sha256').update(ResponseFinalizeBlock.encode(res).finish()).digest('hex'),
  };
}
