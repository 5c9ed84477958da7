// The receipts module: payer escrow, operators' batches of signed receipts committed by Merkle-sum
// roots, the chain's own sampling audit, challenges and fraud proofs with slashing through the
// registry, finalization through the royalty split in the end-block hook, epoch roots, and GPU
// reservations. See README.md.
import type { Module } from '../../core/framework/module.ts';
import type { GenesisState } from '../../proto/gen/cairn/receipts/v1/genesis.ts';
import type { ReceiptsAccounts } from './deps.ts';
import { receiptsGenesis } from './genesis.ts';
import { checkReceiptsInvariants } from './invariants.ts';
import type { ReceiptsKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { msgChallengeDoubleClaim } from './msgs/challenge-double-claim.ts';
import { msgChallengeReceipt } from './msgs/challenge-receipt.ts';
import { msgChallengeSum } from './msgs/challenge-sum.ts';
import { msgDepositEscrow } from './msgs/deposit-escrow.ts';
import { msgReportRefusal } from './msgs/report-refusal.ts';
import { msgRequestReceipt } from './msgs/request-receipt.ts';
import { msgReserveCapacity } from './msgs/reserve-capacity.ts';
import { msgRevealReceipt } from './msgs/reveal-receipt.ts';
import { msgStartReservation } from './msgs/start-reservation.ts';
import { msgSubmitBatch } from './msgs/submit-batch.ts';
import { msgUpdateParams } from './msgs/update-params.ts';
import { msgWithdrawEscrow } from './msgs/withdraw-escrow.ts';
import { receiptsQueries } from './queries.ts';
import { beginBlock, endBlock } from './block.ts';

export { ReceiptsKeeper } from './keeper.ts';
export { checkReceiptsInvariants } from './invariants.ts';
export { ESCROW_ACCOUNT, PENALTY_ACCOUNT } from './keys.ts';

export function receiptsModule(k: ReceiptsKeeper, accounts: ReceiptsAccounts): Module<GenesisState> {
  return {
    name: keys.MODULE,
    consensusVersion: 1,
    genesis: receiptsGenesis(k, accounts),
    msgs: [
      msgDepositEscrow(k),
      msgWithdrawEscrow(k),
      msgSubmitBatch(k),
      msgRevealReceipt(k),
      msgChallengeReceipt(k),
      msgChallengeDoubleClaim(k),
      msgChallengeSum(k),
      msgRequestReceipt(k),
      msgReserveCapacity(k),
      msgStartReservation(k),
      msgReportRefusal(k),
      msgUpdateParams(k),
    ],
    queries: receiptsQueries(k),
    invariants: checkReceiptsInvariants,
    beginBlock: (ctx) => beginBlock(k, ctx),
    endBlock: (ctx) => endBlock(k, ctx),
  };
}
