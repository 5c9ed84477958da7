// What the staking, distribution and slashing commands share: signing their cosmos messages with a
// keyring key, and CosmJS query extensions over one node connection.
import type { EncodeObject } from '@cosmjs/proto-signing';
import { QueryClient, setupDistributionExtension, setupSlashingExtension, setupStakingExtension } from '@cosmjs/stargate';
import type { DistributionExtension, StakingExtension } from '@cosmjs/stargate';

type SlashingExtension = ReturnType<typeof setupSlashingExtension>;
import type { CommandContext } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { withNode } from '../../node-client.ts';
import { sendWithKey } from '../../tx.ts';
import { formatDec, parseDec } from '../../../core/framework/dec.ts';
import { decodeBech32 } from '../../../core/framework/address.ts';

/** Signs `build(sender)` with the key named by the first argument, broadcasts it and prints the result. */
export async function sendTx(ctx: CommandContext, build: (sender: string) => EncodeObject[], extraRows?: Parameters<typeof sendWithKey>[2]): Promise<void> {
  await sendWithKey(ctx, build, extraRows);
}

export type ValidatorQueries = QueryClient & StakingExtension & DistributionExtension & SlashingExtension;

export function withQueries<T>(ctx: CommandContext, fn: (q: ValidatorQueries) => Promise<T>): Promise<T> {
  return withNode(ctx.global.node, (c) => fn(QueryClient.withExtensions(c.comet, setupStakingExtension, setupDistributionExtension, setupSlashingExtension)));
}

/** A validator operator address (cairnvaloper1…). */
export function valoperArg(text: string): string {
  try {
    const { prefix } = decodeBech32(text);
    if (!prefix.endsWith('valoper')) throw new Error(`prefix ${prefix}`);
  } catch {
    throw new UsageError(`"${text}" is not a validator operator address (cairnvaloper1…); \`cairn query staking validators\` lists them`);
  }
  return text;
}

/** A Dec from the wire (18-decimal atomics) shown as a decimal. */
export function dec(atomics: string): string {
  return atomics === '' ? '0' : formatDec(parseDec(atomics)).replace(/\.?0+$/, '');
}

/** ucairn amounts as written in the tables: "1000000ucairn (1 CAIRN)". */
export function tokens(amount: string): string {
  const n = BigInt(amount === '' ? '0' : amount);
  const whole = n / 1_000_000n;
  const frac = (n % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${n}ucairn (${whole}${frac === '' ? '' : `.${frac}`} CAIRN)`;
}

/** A DecCoin list (atomics) as "12.5ucairn". */
export function decCoins(coins: readonly { denom: string; amount: string }[]): string {
  return coins.length === 0 ? '0' : coins.map((c) => `${dec(c.amount)}${c.denom}`).join(', ');
}
