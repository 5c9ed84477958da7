// MsgRegisterOperator: a new operator with its listing, receipt key and an initial bond of at least
// min_operator_bond, moved into the registry_bonds module account.
import { formatCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgRegisterOperator, MsgRegisterOperatorResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { OperatorStatus } from '../../../proto/gen/cairn/registry/v1/types.ts';
import { ErrBondTooLow, ErrInvalidBond, ErrOperatorExists, ErrReceiptKeyInUse } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import type { RegistryBank } from '../deps.ts';
import { checkEd25519Key, checkEndpoints, checkLinkedHosts, checkMoniker, checkRegion, decodeAddress, parseCoin } from '../validate.ts';
import { checkListingLimits } from './update-operator.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

export function msgRegisterOperator(registry: RegistryKeeper, bank: RegistryBank): MsgHandler<MsgRegisterOperator> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgRegisterOperator,
    decode: (bytes) => MsgRegisterOperator.decode(bytes),
    signers: (msg) => [msg.operator],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.operator, 'operator');
      checkMoniker(msg.moniker);
      checkEndpoints(msg.endpoints);
      checkRegion(msg.region);
      checkLinkedHosts(msg.linkedHosts);
      checkEd25519Key(msg.receiptKey, 'receipt_key');
      parseCoin(msg.bond, 'bond');
    },

    async execute(msg, ctx) {
      const address = ctx.addresses.decode(msg.operator);
      if ((await registry.getOperator(ctx.store, address)) !== undefined) throw ErrOperatorExists.wrap(msg.operator);
      const params = await registry.params(ctx.store);
      checkListingLimits(msg, params);
      const bond = parseCoin(msg.bond, 'bond');
      const min = params.minOperatorBond!;
      if (bond.denom !== min.denom) throw ErrInvalidBond.wrap(`bond is in ${bond.denom}; bonds are in ${min.denom}`);
      if (bond.amount < BigInt(min.amount)) throw ErrBondTooLow.wrap(`${formatCoins([bond])} < ${min.amount}${min.denom}`);
      if ((await keys.receiptKeyOwners.get(ctx.store, msg.receiptKey)) !== undefined) {
        throw ErrReceiptKeyInUse.wrap(`receipt key ${Buffer.from(msg.receiptKey).toString('hex')}`);
      }
      await bank.sendToModule(ctx, address, keys.BONDS_ACCOUNT, [bond]);
      registry.setOperator(ctx.store, address, {
        address: msg.operator,
        moniker: msg.moniker,
        endpoints: msg.endpoints,
        region: msg.region,
        linkedHosts: msg.linkedHosts,
        receiptKey: msg.receiptKey,
        receiptKeySince: ctx.block.height,
        bond: { denom: bond.denom, amount: bond.amount.toString() },
        status: OperatorStatus.OPERATOR_STATUS_ACTIVE,
        reputation: 0n,
        registeredHeight: ctx.block.height,
        jailedUntil: 0n,
      });
      keys.receiptKeyOwners.set(ctx.store, msg.receiptKey, address);
      ctx.events.emit(EVENTS.registerOperator, { operator: msg.operator, bond: formatCoins([bond]), region: msg.region });
      return msgResponse(REGISTRY_TYPE_URLS.MsgRegisterOperator, MsgRegisterOperatorResponse, {});
    },
  };
}
