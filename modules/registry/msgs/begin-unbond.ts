// MsgBeginUnbond: moves part or all of the bond into an unbonding entry, released to the operator
// at the end of block (now + operator_unbonding_blocks) and slashable until then. What stays bonded
// must be zero or at least the minimum; unbonding everything takes an active operator out of the catalog.
import { formatCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgBeginUnbond, MsgBeginUnbondResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { OperatorStatus } from '../../../proto/gen/cairn/registry/v1/types.ts';
import { ErrBondTooLow, ErrInsufficientBond, ErrInvalidBond, ErrTooManyUnbondingEntries } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import { decodeAddress, parseCoin } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

export function msgBeginUnbond(registry: RegistryKeeper): MsgHandler<MsgBeginUnbond> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgBeginUnbond,
    decode: (bytes) => MsgBeginUnbond.decode(bytes),
    signers: (msg) => [msg.operator],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.operator, 'operator');
      parseCoin(msg.amount, 'amount');
    },

    async execute(msg, ctx) {
      const address = ctx.addresses.decode(msg.operator);
      const op = await registry.requireOperator(ctx.store, address, msg.operator);
      const params = await registry.params(ctx.store);
      const amount = parseCoin(msg.amount, 'amount');
      const bonded = BigInt(op.bond!.amount);
      if (amount.denom !== op.bond!.denom) throw ErrInvalidBond.wrap(`amount is in ${amount.denom}; the bond is in ${op.bond!.denom}`);
      if (amount.amount > bonded) throw ErrInsufficientBond.wrap(`${formatCoins([amount])} requested, ${bonded}${amount.denom} bonded`);
      const left = bonded - amount.amount;
      const min = BigInt(params.minOperatorBond!.amount);
      if (left > 0n && left < min) {
        throw ErrBondTooLow.wrap(`${left}${amount.denom} would stay bonded; unbond everything or keep at least ${min}${amount.denom}`);
      }
      const entries = await registry.unbondingOf(ctx.store, address);
      if (entries.length >= params.maxUnbondingEntries) {
        throw ErrTooManyUnbondingEntries.wrap(`${entries.length} entries pending; max_unbonding_entries is ${params.maxUnbondingEntries}`);
      }
      const id = await registry.takeUnbondingId(ctx.store);
      const completionHeight = ctx.block.height + params.operatorUnbondingBlocks;
      registry.setUnbondingEntry(ctx.store, address, {
        id,
        operator: msg.operator,
        amount: { denom: amount.denom, amount: amount.amount.toString() },
        creationHeight: ctx.block.height,
        completionHeight,
      });
      const status = left === 0n && op.status === OperatorStatus.OPERATOR_STATUS_ACTIVE ? OperatorStatus.OPERATOR_STATUS_UNBONDING : op.status;
      registry.setOperator(ctx.store, address, { ...op, status, bond: { denom: amount.denom, amount: left.toString() } });
      ctx.events.emit(EVENTS.beginUnbond, {
        operator: msg.operator,
        amount: formatCoins([amount]),
        unbonding_id: id.toString(),
        completion_height: completionHeight.toString(),
      });
      return msgResponse(REGISTRY_TYPE_URLS.MsgBeginUnbond, MsgBeginUnbondResponse, { unbondingId: id, completionHeight });
    },
  };
}
