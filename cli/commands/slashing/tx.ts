// cairn tx slashing unjail
import type { CommandContext } from '../../context.ts';
import { valoperOf } from '../../../modules/staking/genesis-builder.ts';
import { sendTx } from '../staking/client.ts';

export async function unjail(ctx: CommandContext): Promise<void> {
  await sendTx(ctx, (sender) => [{ typeUrl: '/cosmos.slashing.v1beta1.MsgUnjail', value: { validatorAddr: valoperOf(sender) } }]);
}
