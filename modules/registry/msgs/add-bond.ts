// MsgAddBond: more coins into the operator's bond; an unbonding operator back at the minimum is active again.
import { formatCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgAddBond, MsgAddBondResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { OperatorStatus } from '../../../proto/gen/cairn/registry/v1/types.ts';
import type { RegistryBank } from '../deps.ts';
import { ErrInvalidBond } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { decodeAddress, parseCoin } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

export function msgAddBond(registry: RegistryKeeper, bank: RegistryBank): MsgHandler<MsgAddBond> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgAddBond,
    decode: (bytes) => MsgAddBond.decode(bytes),
    signers: (msg) => [msg.operator],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.operator, 'operator');
      parseCoin(msg.amount, 'amount');
    },

    async execute(msg, ctx) {
      const address = ctx.addresses.decode(msg.operator);
      const op = await registry.requireListedOperator(ctx.store, address, msg.operator);
      const params = await registry.params(ctx.store);
      const amount = parseCoin(msg.amount, 'amount');
      if (amount.denom !== op.bond!.denom) throw ErrInvalidBond.wrap(`amount is in ${amount.denom}; the bond is in ${op.bond!.denom}`);
      await bank.sendToModule(ctx, address, keys.BONDS_ACCOUNT, [amount]);
      const bond = { denom: amount.denom, amount: (BigInt(op.bond!.amount) + amount.amount).toString() };
      const next = { ...op, bond };
      if (op.status === OperatorStatus.OPERATOR_STATUS_UNBONDING && registry.isActive({ ...next, status: OperatorStatus.OPERATOR_STATUS_ACTIVE }, params)) {
        next.status = OperatorStatus.OPERATOR_STATUS_ACTIVE;
      }
      registry.setOperator(ctx.store, address, next);
      ctx.events.emit(EVENTS.addBond, { operator: msg.operator, amount: formatCoins([amount]), bond: `${bond.amount}${bond.denom}` });
      return msgResponse(REGISTRY_TYPE_URLS.MsgAddBond, MsgAddBondResponse, { bond });
    },
  };
}
