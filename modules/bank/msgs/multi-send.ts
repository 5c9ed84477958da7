// MsgMultiSend: one input (as in SDK 0.50: several senders are not allowed), many outputs whose
// coins must add up to the input's exactly.
import { MsgMultiSend, MsgMultiSendResponse } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { BANK_TYPE_URLS } from '../../../sdk/bank/messages.ts';
import { formatCoins, parseCoins, sumCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ErrInputOutputMismatch, ErrMultipleSenders, ErrNoInputs, ErrNoOutputs, ErrSendDisabled } from '../errors.ts';
import type { BankKeeper } from '../keeper.ts';
import { decodeNamed } from './send.ts';

export function msgMultiSend(bank: BankKeeper): MsgHandler<MsgMultiSend> {
  return {
    typeUrl: BANK_TYPE_URLS.MsgMultiSend,
    decode: (bytes) => MsgMultiSend.decode(bytes),
    signers: (msg) => msg.inputs.map((i) => i.address),

    validate(msg, ctx) {
      if (msg.inputs.length === 0) throw ErrNoInputs.wrap('multi-send');
      if (msg.inputs.length > 1) throw ErrMultipleSenders.wrap(`${msg.inputs.length} inputs given`);
      if (msg.outputs.length === 0) throw ErrNoOutputs.wrap('multi-send');
      const input = msg.inputs[0]!;
      decodeNamed(ctx.addresses, input.address, 'input');
      const inCoins = parseCoins(input.coins);
      const outCoins = sumCoins(
        msg.outputs.map((o) => {
          decodeNamed(ctx.addresses, o.address, 'output');
          return parseCoins(o.coins);
        }),
      );
      if (formatCoins(inCoins) !== formatCoins(outCoins)) {
        throw ErrInputOutputMismatch.wrap(`inputs ${formatCoins(inCoins)}, outputs ${formatCoins(outCoins)}`);
      }
    },

    async execute(msg, ctx) {
      const input = msg.inputs[0]!;
      const inCoins = parseCoins(input.coins);
      for (const a of inCoins) {
        if (!(await bank.isSendEnabled(ctx.store, a.denom))) throw ErrSendDisabled.wrap(`${a.denom} transfers are currently disabled`);
      }
      const from = ctx.addresses.decode(input.address);
      for (const output of msg.outputs) {
        const to = ctx.addresses.decode(output.address);
        await bank.assertMayReceive(ctx.store, to, output.address);
        await bank.send(ctx, from, to, parseCoins(output.coins));
      }
      return msgResponse(BANK_TYPE_URLS.MsgMultiSend, MsgMultiSendResponse, {});
    },

    readAhead: (msg, addresses) => msg.outputs.flatMap((o) => bank.receiveKeys(addresses, o.address, o.coins.map((c) => c.denom))),
  };
}
