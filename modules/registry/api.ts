// The registry as other modules see it (receipts, slashing, royalty, emission). They get exactly
// these methods of the keeper; nothing else of the registry's state is reachable from outside.
//
//   getOperator(store, address)                 the Operator record, or undefined
//   allOperators(store)                         every (address, Operator), in address order
//   isActiveOperator(store, address)            ACTIVE with at least the minimum bond
//   receiptKeysOf(store, address)               current + rotated-out receipt keys with their height windows
//   payerKeyAuthorized(store, payer, key, h)    was `key` an authorised receipt key of `payer` at height h
//   payerKeyOf(store, payer, key)               the payer's record of `key` (authorised / revoked heights)
//   modelOf(store, id)                          a model or adapter manifest (royalty terms, base model)
//   getAttestation(store, id)                   any accepted attestation by id, expired or replaced ones too
//   gpusOf(store, address)                      the operator's GPU commitments (price, reservable flag)
//   currentAttestationsOf(store, address, now)  attestations that count at unix time `now`
//   punishOperator(ctx, address, punishment)    the one way to punish a proven fault: slash bond + unbonding
//                                               entries pro rata, pay the prover rewardBps of it, burn the rest,
//                                               jail or tombstone, record the evidence (README "Punishing an operator")
//   removeGpuCommitment(ctx, address, gpuId)    drops one GPU commitment (emission's fake-capacity fault)
//   setReputation(ctx, address, score)          emission's per-epoch score into Operator.reputation (catalog sort)
//   params(store)
import type { RegistryKeeper } from './keeper.ts';

export type RegistryApi = Pick<
  RegistryKeeper,
  | 'getOperator'
  | 'allOperators'
  | 'isActiveOperator'
  | 'receiptKeysOf'
  | 'payerKeyAuthorized'
  | 'payerKeyOf'
  | 'modelOf'
  | 'getAttestation'
  | 'gpusOf'
  | 'currentAttestationsOf'
  | 'punishOperator'
  | 'removeGpuCommitment'
  | 'setReputation'
  | 'params'
>;

export type { EvidenceLog, Punishment, PunishResult, ReceiptKeyInfo } from './keeper.ts';
// The two key-validity rules, shared by the registry and whoever judges a receipt (receipts/checks.ts).
export { payerKeyValidAt, receiptKeyAt } from './keeper.ts';
