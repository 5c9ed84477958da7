// cairn tx distribution withdraw-rewards | withdraw-all-rewards | set-withdraw-address
import { booleanFlag, arg, type CommandContext } from '../../context.ts';
import { checkAddress } from '../../node-client.ts';
import { valoperOf } from '../../../modules/staking/genesis-builder.ts';
import { sendTx, valoperArg, withQueries } from '../staking/client.ts';

export async function withdrawRewards(ctx: CommandContext): Promise<void> {
  const validatorAddress = valoperArg(arg(ctx, 1));
  const commission = booleanFlag(ctx, 'commission');
  await sendTx(ctx, (delegatorAddress) => [
    { typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward', value: { delegatorAddress, validatorAddress } },
    ...(commission ? [{ typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission', value: { validatorAddress: valoperOf(delegatorAddress) } }] : []),
  ]);
}

export async function withdrawAllRewards(ctx: CommandContext): Promise<void> {
  const keyring = await ctx.keyring();
  const delegator = (await keyring.show(arg(ctx, 0))).address;
  const validators = await withQueries(ctx, async (q) => (await q.distribution.delegatorValidators(delegator)).validators);
  await sendTx(ctx, (delegatorAddress) => validators.map((validatorAddress) => ({ typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward', value: { delegatorAddress, validatorAddress } })));
}

export async function setWithdrawAddress(ctx: CommandContext): Promise<void> {
  const withdrawAddress = checkAddress(arg(ctx, 1), 'withdraw');
  await sendTx(ctx, (delegatorAddress) => [{ typeUrl: '/cosmos.distribution.v1beta1.MsgSetWithdrawAddress', value: { delegatorAddress, withdrawAddress } }]);
}
