// The honest operator's side of capacity challenges in the economics simulation (bench/sim.ts,
// bench/sim-faults.ts): an operator that has the GPUs it committed proves every open challenge with
// the trusted verifier's benchmark.
import type { ReceiptsChain, Role } from '../test/support/receipts-chain.ts';
import { VERIFIER } from '../test/support/registry.ts';
import { CHAIN_ID } from '../test/support/app-chain.ts';
import { capacitySignBytes } from '../sdk/emission/sign-bytes.ts';
import { EMISSION_TYPE_URLS } from '../sdk/emission/messages.ts';
import * as emissionKeys from '../modules/emission/keys.ts';
import { ChallengeStatus } from '../proto/gen/cairn/emission/v1/types.ts';

/**
 * The operator of `role` answers its open capacity challenges with the trusted verifier's benchmark
 * (those past their deadline are already lost; the chain settles them).
 */
export async function proveOpenChallenges(rc: ReceiptsChain, role: Role = 'operator'): Promise<void> {
  const operator = rc.address(role);
  const open = [];
  for await (const [, c] of emissionKeys.challenges.entries(rc.chain.store.committed)) if (c.operator === operator && c.status === ChallengeStatus.CHALLENGE_STATUS_OPEN && c.deadline > rc.height) open.push(c);
  for (const c of open) {
    const signature = VERIFIER.sign(capacitySignBytes(CHAIN_ID, rc.chain.app.addresses.decode(operator), c.id, c.gpuId, c.gpuCount));
    await rc.ok(role, { typeUrl: EMISSION_TYPE_URLS.MsgProveCapacity, value: { operator, challengeId: c.id, measuredCount: c.gpuCount, verifier: VERIFIER.publicKey, signature } });
  }
}
