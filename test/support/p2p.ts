// Test helpers for the p2p layer: a chain view held in memory, operators with receipt keys, and
// signed batches built with the sdk. Used by test/p2p*.test.ts and the watcher tests.
import { toBech32 } from '@cosmjs/encoding';
import { fixedKey, signedReceipt } from './receipts-fixtures.ts';
import { type Batch, type Ed25519Signer, type Receipt, buildBatch } from '../../sdk/index.ts';
import { silentLogger } from '../../node/log.ts';
import { sealBatch } from '../../node/p2p/envelope.ts';
import { P2pHost, type P2pHostOptions } from '../../node/p2p/host.ts';
import type { ChainView, ReceiptKeyWindow } from '../../node/p2p/validate.ts';

export const TEST_CHAIN = 'cairn-p2p-test';

export function testAddress(label: string): string {
  const bytes = new Uint8Array(20);
  const src = new TextEncoder().encode(label);
  bytes.set(src.subarray(0, 20));
  return toBech32('cairn', bytes);
}

export class MemoryChain implements ChainView {
  readonly chainId: string;
  current = 10n;
  readonly keys = new Map<string, ReceiptKeyWindow[]>();

  constructor(chainId = TEST_CHAIN) {
    this.chainId = chainId;
  }

  height(): bigint {
    return this.current;
  }

  async receiptKeysOf(operator: string): Promise<readonly ReceiptKeyWindow[]> {
    return this.keys.get(operator) ?? [];
  }

  register(operator: string, key: Uint8Array, validFrom = 1n, validUntil?: bigint): void {
    const list = this.keys.get(operator) ?? [];
    list.push({ key, validFrom, validUntil });
    this.keys.set(operator, list);
  }
}

export interface TestOperator {
  readonly address: string;
  readonly key: Ed25519Signer;
  readonly payer: string;
  readonly payerKey: Ed25519Signer;
}

export function testOperator(label: string): TestOperator {
  return { address: testAddress(`op-${label}`), key: fixedKey(`op-${label}`), payer: testAddress(`payer-${label}`), payerKey: fixedKey(`payer-${label}`) };
}

/** `count` receipts numbered from `from`, signed by payer and operator. */
export function testReceipts(op: TestOperator, count: number, from = 0, chainId = TEST_CHAIN): Receipt[] {
  const party = { chainId, operator: op.address, payer: op.payer, payerKey: op.payerKey, operatorKey: op.key };
  return Array.from({ length: count }, (_, i) => signedReceipt(party, from + i));
}

export function testBatch(op: TestOperator, count: number, from = 0): Batch {
  return buildBatch(testReceipts(op, count, from));
}

export function sealedTestBatch(op: TestOperator, batch: Batch, height = 10n, chainId = TEST_CHAIN): Uint8Array {
  return sealBatch(batch, { chainId, operator: op.address, height }, op.key);
}

export async function startTestHost(chain: ChainView, opts: Partial<P2pHostOptions> = {}): Promise<P2pHost> {
  const host = new P2pHost({ chain, logger: silentLogger, listen: ['/ip4/127.0.0.1/tcp/0'], redialMs: 500, ...opts });
  await host.start();
  return host;
}

/** Polls `check` every 50 ms until it holds or `ms` pass (then throws with `what`). */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
