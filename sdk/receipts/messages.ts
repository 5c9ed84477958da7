// The receipts module's message types for a CosmJS Registry (SigningStargateClient, tests, the CLI):
// `new Registry([...defaultRegistryTypes, ...receiptsTypes])`.
import type { GeneratedType } from '@cosmjs/proto-signing';
import * as tx from '../../proto/gen/cairn/receipts/v1/tx.ts';

export const PACKAGE = 'cairn.receipts.v1';

/** `/cairn.receipts.v1.<name>`: the type URL of one of this module's messages. */
export function typeUrl(name: string): string {
  return `/${PACKAGE}.${name}`;
}

const MESSAGES = [
  ['MsgDepositEscrow', tx.MsgDepositEscrow],
  ['MsgWithdrawEscrow', tx.MsgWithdrawEscrow],
  ['MsgSubmitBatch', tx.MsgSubmitBatch],
  ['MsgRevealReceipt', tx.MsgRevealReceipt],
  ['MsgChallengeReceipt', tx.MsgChallengeReceipt],
  ['MsgChallengeDoubleClaim', tx.MsgChallengeDoubleClaim],
  ['MsgChallengeSum', tx.MsgChallengeSum],
  ['MsgRequestReceipt', tx.MsgRequestReceipt],
  ['MsgReserveCapacity', tx.MsgReserveCapacity],
  ['MsgStartReservation', tx.MsgStartReservation],
  ['MsgReportRefusal', tx.MsgReportRefusal],
  ['MsgUpdateParams', tx.MsgUpdateParams],
] as const;

export const receiptsTypes: ReadonlyArray<[string, GeneratedType]> = MESSAGES.map(([name, type]) => [typeUrl(name), type as unknown as GeneratedType]);

/** Type URLs by message name, e.g. RECEIPTS_TYPE_URLS.MsgSubmitBatch. */
export const RECEIPTS_TYPE_URLS = Object.fromEntries(MESSAGES.map(([name]) => [name, typeUrl(name)])) as Record<(typeof MESSAGES)[number][0], string>;
