// cairn tx distribution withdraw-rewards | withdraw-all-rewards | set-withdraw-address
import { booleanFlag, arg, type CommandContext } from '../../context.ts';
import { distributionMsgs } from '../../../sdk/distribution/messages.ts';
import { checkAddress } from '../../node-client.ts';
import { valoperOf } from '../../../modules/staking/genesis-builder.ts';
import { eventAttributes, type TxResult } from '../../tx.ts';
import { sendTx, valoperArg, withQueries } from '../staking/client.ts';

/** What the transaction paid out, from its withdraw events. */
function paidRows(r: TxResult): Array<[string, string]> {
  const rows: Array<[string, string]> = [['rewards withdrawn', eventAttributes(r, 'withdraw_rewards', 'amount').filter((a) => a !== '').join(', ') || 'nothing']];
  const commission = eventAttributes(r, 'withdraw_commission', 'amount');
  if (commission.length > 0) rows.push(['commission withdrawn', commission.filter((a) => a !== '').join(', ') || 'nothing']);
  return rows;
}

export async function withdrawRewards(ctx: CommandContext): Promise<void> {
  const validatorAddress = valoperArg(arg(ctx, 1));
  const commission = booleanFlag(ctx, 'commission');
  await sendTx(ctx, (delegatorAddress) => [
    distributionMsgs.MsgWithdrawDelegatorReward({ delegatorAddress, validatorAddress }),
    ...(commission ? [distributionMsgs.MsgWithdrawValidatorCommission({ validatorAddress: valoperOf(delegatorAddress) })] : []),
  ], paidRows);
}

export async function withdrawAllRewards(ctx: CommandContext): Promise<void> {
  const keyring = await ctx.keyring();
  const delegator = (await keyring.show(arg(ctx, 0))).address;
  const validators = await withQueries(ctx, async (q) => (await q.distribution.delegatorValidators(delegator)).validators);
  await sendTx(ctx, (delegatorAddress) => validators.map((validatorAddress) => distributionMsgs.MsgWithdrawDelegatorReward({ delegatorAddress, validatorAddress })), paidRows);
}

export async function setWithdrawAddress(ctx: CommandContext): Promise<void> {
  const withdrawAddress = checkAddress(arg(ctx, 1), 'withdraw');
  await sendTx(ctx, (delegatorAddress) => [distributionMsgs.MsgSetWithdrawAddress({ delegatorAddress, withdrawAddress })]);
}
