// "Times caught" for the economics simulation's table: operator slashes (the registry's
// slash_operator events, from transactions and end blocks) counted per operator address as the
// chain commits blocks.
import type { ReceiptsChain } from '../test/support/receipts-chain.ts';

export type Caught = Map<string, number>;

/** Counts, from now on, every slash_operator event of `rc`'s blocks by operator address. */
export function countSlashes(rc: ReceiptsChain): Caught {
  const counts: Caught = new Map();
  const chain = rc.chain;
  const block = chain.block.bind(chain);
  chain.block = async (...args: Parameters<typeof block>) => {
    const results = await block(...args);
    for (const e of [...chain.lastBlock!.events, ...results.flatMap((r) => r.events)]) {
      if (e.type !== 'slash_operator') continue;
      const operator = e.attributes.find((a) => a.key === 'operator')?.value ?? '';
      counts.set(operator, (counts.get(operator) ?? 0) + 1);
    }
    return results;
  };
  return counts;
}
