import { describe, expect, it } from 'vitest';
import { cairnRegistry } from './cosmjs-registry.ts';

describe('cairnRegistry', () => {
  // The node signs these itself (watcher challenges and forgery reports, availability reports):
  // a type missing here fails only at broadcast, in production.
  it.each([
    '/cosmos.bank.v1beta1.MsgSend',
    '/cosmos.slashing.v1beta1.MsgUnjail',
    '/cairn.receipts.v1.MsgChallengeReceipt',
    '/cairn.receipts.v1.MsgRequestReceipt',
    '/cairn.registry.v1.MsgReportForgedAttestation',
    '/cairn.registry.v1.MsgUnjailOperator',
    '/cairn.emission.v1.MsgReportAvailability',
    '/cairn.emission.v1.MsgSetAvailabilityReporter',
  ])('encodes %s', (typeUrl) => {
    expect(cairnRegistry().lookupType(typeUrl)).toBeDefined();
  });
});
