// cairn query bank total-supply
import { coinFromChain, displayNote } from '../../amount.ts';
import type { Coin } from '../../amount.ts';
import type { CommandContext } from '../../context.ts';
import { CliError } from '../../errors.ts';
import { withNode } from '../../node-client.ts';
import type { NodeConnection } from '../../node-client.ts';
import { table } from '../../output.ts';

const MAX_PAGES = 1000;

/** The supply of every denom, following the pagination to the end. */
export async function queryTotalSupply(connection: NodeConnection): Promise<Coin[]> {
  const supply: Coin[] = [];
  let key: Uint8Array | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await connection.query.bank.totalSupply(key);
    supply.push(...response.supply.map(coinFromChain));
    const next = response.pagination?.nextKey;
    if (next === undefined || next.length === 0) return supply;
    key = next;
  }
  throw new CliError(`the total supply did not end after ${MAX_PAGES} pages: the node's pagination looks broken`);
}

export async function run(ctx: CommandContext): Promise<void> {
  const supply = await withNode(ctx.global.node, queryTotalSupply);
  ctx.print({
    json: { supply: supply.map((coin) => ({ denom: coin.denom, amount: coin.amount })) },
    text: () =>
      supply.length === 0
        ? 'The chain has no supply.'
        : table(
            ['DENOM', 'AMOUNT', ''],
            supply.map((coin) => [coin.denom, coin.amount.toString(), displayNote(coin)]),
          ),
  });
}
