// The chain state a receipt is judged against (modules/receipts/checks.ts ReceiptFacts), read
// through ABCI queries: the same records the chain's judge reads from its keepers, so the watcher
// reaches the verdict ChallengeReceipt will reach. Nothing is metered off chain.
import type { ReceiptFacts } from '../../modules/receipts/checks.ts';
import type { ReceiptKeyInfo } from '../../modules/registry/api.ts';
import { queryReceipts } from '../../sdk/receipts/queries.ts';
import { queryRegistry } from '../../sdk/registry/queries.ts';
import { type QueryFn, isNotFound, mustQuery } from '../app-query.ts';

/** A query the chain answered NotFound gives `undefined`; any other refusal is thrown. */
async function orMissing<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export function queryReceiptFacts(query: QueryFn, chainId: () => string): ReceiptFacts {
  const registry = queryRegistry(mustQuery(query));
  const receipts = queryReceipts(mustQuery(query));
  return {
    get chainId(): string {
      return chainId();
    },
    chargeVerify: () => undefined,
    heightAt: async (time) => (await orMissing(receipts.heightAt({ time })))?.height,
    receiptKeysOf: async (operator): Promise<ReceiptKeyInfo[]> => {
      const r = await orMissing(registry.operator({ address: operator }));
      if (r?.operator === undefined) return [];
      const retired = r.retiredReceiptKeys.map((k) => ({ key: k.key, validFrom: k.validFrom, validUntil: k.validUntil as bigint | undefined }));
      return [...retired, { key: r.operator.receiptKey, validFrom: r.operator.receiptKeySince, validUntil: undefined }];
    },
    payerKey: async (payer, key) => (await orMissing(registry.payerKey({ payer, key })))?.key,
    attestation: async (id) => (await orMissing(registry.attestation({ id })))?.attestation,
  };
}
