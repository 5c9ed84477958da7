// cairn tx slashing unjail
import type { CommandContext } from '../../context.ts';
import { slashingMsgs } from '../../../sdk/slashing/messages.ts';
import { valoperOf } from '../../../modules/staking/genesis-builder.ts';
import { sendTx } from '../staking/client.ts';

export async function unjail(ctx: CommandContext): Promise<void> {
  await sendTx(ctx, (sender) => [slashingMsgs.MsgUnjail({ validatorAddr: valoperOf(sender) })]);
}
