// cairn tx staking create-validator | edit-validator | delegate | unbond | redelegate
import { readValidatorKey } from '../../../node/cometbft/keys.ts';
import { stakingMsgs } from '../../../sdk/staking/messages.ts';
import { ed25519Any } from '../../../modules/staking/addresses.ts';
import { decToProto, parseDecJson } from '../../../core/framework/dec.ts';
import { valoperOf } from '../../../modules/staking/genesis-builder.ts';
import { DEFAULT_COMMISSION } from '../../../modules/staking/genesis-builder.ts';
import { coinToChain, parseCoin } from '../../amount.ts';
import { arg, stringFlag, type CommandContext } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { sendTx, valoperArg } from './client.ts';

const DO_NOT_MODIFY = '[do-not-modify]';

function rate(text: string, flag: string): string {
  try {
    return decToProto(parseDecJson(text));
  } catch {
    throw new UsageError(`--${flag} "${text}" must be a decimal fraction such as 0.1`);
  }
}

function positive(text: string, flag: string): string {
  if (!/^[1-9][0-9]*$/.test(text)) throw new UsageError(`--${flag} "${text}" must be a positive whole number of ucairn`);
  return text;
}

export async function createValidator(ctx: CommandContext): Promise<void> {
  const amount = coinToChain(parseCoin(arg(ctx, 1), { what: 'self-bond' }));
  const pubkeyText = stringFlag(ctx, 'pubkey') ?? (await readValidatorKey(ctx.global.home)).pubKey;
  const key = Buffer.from(pubkeyText, 'base64');
  if (key.length !== 32) throw new UsageError('--pubkey must be the base64 of a 32-byte ed25519 key (priv_validator_key.json\'s pub_key.value)');
  const commission = {
    rate: rate(stringFlag(ctx, 'commission-rate') ?? DEFAULT_COMMISSION.rate, 'commission-rate'),
    maxRate: rate(stringFlag(ctx, 'commission-max-rate') ?? DEFAULT_COMMISSION.maxRate, 'commission-max-rate'),
    maxChangeRate: rate(stringFlag(ctx, 'commission-max-change-rate') ?? DEFAULT_COMMISSION.maxChangeRate, 'commission-max-change-rate'),
  };
  const moniker = stringFlag(ctx, 'moniker');
  if (moniker === undefined) throw new UsageError('--moniker is required: the name wallets and explorers show');
  const description = { moniker, identity: stringFlag(ctx, 'identity') ?? '', website: stringFlag(ctx, 'website') ?? '', securityContact: stringFlag(ctx, 'security-contact') ?? '', details: stringFlag(ctx, 'details') ?? '' };
  const minSelfDelegation = positive(stringFlag(ctx, 'min-self-delegation') ?? '1', 'min-self-delegation');
  let validatorAddress = '';
  await sendTx(
    ctx,
    (sender) => {
      validatorAddress = valoperOf(sender);
      return [stakingMsgs.MsgCreateValidator({ description, commission, minSelfDelegation, delegatorAddress: sender, validatorAddress, pubkey: ed25519Any(key), value: amount })];
    },
    // The address wallets delegate to.
    (r) => (r.code === 0 ? [['validator', validatorAddress]] : []),
  );
}

export async function editValidator(ctx: CommandContext): Promise<void> {
  const text = (flag: string): string => stringFlag(ctx, flag) ?? DO_NOT_MODIFY;
  const commissionRate = stringFlag(ctx, 'commission-rate');
  const min = stringFlag(ctx, 'min-self-delegation');
  await sendTx(ctx, (sender) => [
    stakingMsgs.MsgEditValidator({
      description: { moniker: text('moniker'), identity: text('identity'), website: text('website'), securityContact: text('security-contact'), details: text('details') },
      validatorAddress: valoperOf(sender),
      commissionRate: commissionRate === undefined ? '' : rate(commissionRate, 'commission-rate'),
      minSelfDelegation: min === undefined ? '' : positive(min, 'min-self-delegation'),
    }),
  ]);
}

export async function delegate(ctx: CommandContext): Promise<void> {
  const validatorAddress = valoperArg(arg(ctx, 1));
  const amount = coinToChain(parseCoin(arg(ctx, 2)));
  await sendTx(ctx, (delegatorAddress) => [stakingMsgs.MsgDelegate({ delegatorAddress, validatorAddress, amount })]);
}

export async function unbond(ctx: CommandContext): Promise<void> {
  const validatorAddress = valoperArg(arg(ctx, 1));
  const amount = coinToChain(parseCoin(arg(ctx, 2)));
  await sendTx(ctx, (delegatorAddress) => [stakingMsgs.MsgUndelegate({ delegatorAddress, validatorAddress, amount })]);
}

export async function redelegate(ctx: CommandContext): Promise<void> {
  const validatorSrcAddress = valoperArg(arg(ctx, 1));
  const validatorDstAddress = valoperArg(arg(ctx, 2));
  const amount = coinToChain(parseCoin(arg(ctx, 3)));
  await sendTx(ctx, (delegatorAddress) => [stakingMsgs.MsgBeginRedelegate({ delegatorAddress, validatorSrcAddress, validatorDstAddress, amount })]);
}
