// cairn query bank balances <address>
import { coinFromChain, displayNote } from '../../amount.ts';
import type { Coin } from '../../amount.ts';
import { arg } from '../../context.ts';
import type { CommandContext } from '../../context.ts';
import { checkAddress, withNode } from '../../node-client.ts';
import type { NodeConnection } from '../../node-client.ts';
import { table } from '../../output.ts';

/** All balances of `address`, sorted by denom; empty for an unknown address. */
export async function queryBalances(connection: NodeConnection, address: string): Promise<Coin[]> {
  checkAddress(address);
  const coins = await connection.query.bank.allBalances(address);
  return coins.map(coinFromChain);
}

export async function run(ctx: CommandContext): Promise<void> {
  const address = checkAddress(arg(ctx, 0));
  const balances = await withNode(ctx.global.node, (connection) => queryBalances(connection, address));
  ctx.print({
    json: { address, balances: balances.map((coin) => ({ denom: coin.denom, amount: coin.amount })) },
    text: () =>
      balances.length === 0
        ? `${address} holds no tokens.`
        : table(
            ['DENOM', 'AMOUNT', ''],
            balances.map((coin) => [coin.denom, coin.amount.toString(), displayNote(coin)]),
          ),
  });
}
