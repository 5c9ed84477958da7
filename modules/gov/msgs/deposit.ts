// MsgDeposit (cosmos.gov.v1 and v1beta1, the same fields): adds coins to a proposal in its deposit
// or voting period; reaching min_deposit starts the voting period. Only min_deposit's denoms are
// accepted (gov/23), and each deposit must be at least min_deposit_ratio of min_deposit (gov/16).
import { MsgDeposit, MsgDepositResponse } from 'cosmjs-types/cosmos/gov/v1/tx';
import { MsgDeposit as MsgDepositV1beta1, MsgDepositResponse as MsgDepositResponseV1beta1 } from 'cosmjs-types/cosmos/gov/v1beta1/tx';
import { formatCoins, parseCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ErrInvalidCoins } from '../../../core/framework/sdk-errors.ts';
import { GOV_TYPE_URLS, GOV_V1BETA1_TYPE_URLS } from '../../../sdk/gov/messages.ts';
import type { GovKeeper } from '../keeper.ts';

function depositHandler(k: GovKeeper, typeUrl: string, decode: (b: Uint8Array) => MsgDeposit, encodeResponse: () => { typeUrl: string; value: Uint8Array }): MsgHandler<MsgDeposit> {
  const amount = (msg: MsgDeposit) => {
    if (msg.amount.length === 0) throw ErrInvalidCoins.wrap(`${formatCoins(msg.amount)}: a deposit needs a positive amount`);
    return parseCoins(msg.amount);
  };
  return {
    typeUrl,
    decode,
    signers: (msg) => [msg.depositor],

    validate(msg, ctx) {
      ctx.addresses.decode(msg.depositor);
      amount(msg);
    },

    async execute(msg, ctx) {
      if (await k.addDeposit(ctx, msg.proposalId, ctx.addresses.decode(msg.depositor), amount(msg))) {
        ctx.events.emit('proposal_deposit', { voting_period_start: String(msg.proposalId) });
      }
      return encodeResponse();
    },
  };
}

export function msgDeposit(k: GovKeeper): MsgHandler<MsgDeposit> {
  return depositHandler(k, GOV_TYPE_URLS.MsgDeposit, (b) => MsgDeposit.decode(b), () => msgResponse(GOV_TYPE_URLS.MsgDeposit, MsgDepositResponse, {}));
}

export function msgDepositV1beta1(k: GovKeeper): MsgHandler<MsgDeposit> {
  const url = GOV_V1BETA1_TYPE_URLS.MsgDeposit;
  return depositHandler(k, url, (b) => MsgDepositV1beta1.decode(b), () => msgResponse(url, MsgDepositResponseV1beta1, {}));
}
