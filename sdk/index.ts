// Cairn's client SDK (see README.md). The receipts SDK: what a payer, an operator or a watcher needs off chain. Sign and verify
// receipts, build a batch and its Merkle-sum tree, prove leaves and nodes, and build the messages.
// The chain runs this same code, so what verifies here verifies on chain.
export { Receipt, SettlementMode } from '../proto/gen/cairn/receipts/v1/types.ts';
export type { InclusionProof, ProofStep, SumNode, SumNodeProof } from '../proto/gen/cairn/receipts/v1/types.ts';
export { MsgSubmitBatch } from '../proto/gen/cairn/receipts/v1/tx.ts';
export { U128_MAX, parseU128 } from './bytes.ts';
export { type Ed25519Signer, ed25519FromSeed, generateEd25519, verifyEd25519 } from './ed25519.ts';
export {
  RECEIPT_DOMAIN,
  ReceiptFormatError,
  type ReceiptRole,
  type ReceiptVerdict,
  addressBytes,
  expectedAmount,
  receiptAmount,
  receiptProblems,
  receiptSignBytes,
  signReceipt,
  verifyReceipt,
} from './receipts/receipt.ts';
export {
  MAX_PROOF_STEPS,
  type PathResult,
  type SumCheck,
  SumOverflowError,
  SumTree,
  type SumValue,
  checkSumNodeProof,
  climb,
  leafHash,
  nodeHash,
  parentOf,
  parseSumNode,
  pathProblem,
  receiptInclusionProblem,
  receiptLeaf,
  receiptLeafHash,
  toSumNode,
  verifyInclusion,
} from './receipts/merkle.ts';
export { type Batch, BatchError, type BatchErrorKind, type BatchHeader, type BatchTerms, batchRoot, batchTerms, buildBatch, inclusionProof, paymentRefsRoot } from './receipts/batch.ts';
export { BATCH_DOMAIN, batchSignBytes, signBatch, signBatchAsPayer, signedLedger, verifyBatchSignature } from './receipts/batch-signature.ts';
export { type SampleParams, sampleIndices, sampleSize } from './receipts/sample.ts';

// The modules' client faces: type URLs, EncodeObject builders, CosmJS registry and query extensions.
export { CAIRN_AMINO, cairnAminoConverters, cairnAminoResolver, cairnRegistry } from './cosmjs-registry.ts';
export { cairnAminoTypes } from './cosmjs-amino-types.ts';
export { type AminoMessage, type AminoSchema, aminoConverters } from './amino.ts';
export { type TypedEncodeObject } from './messages.ts';
export { type AbciQuery } from './queries.ts';
export { AUTH_TYPE_URLS, type AuthEncodeObject, authMsgs, authTypes, authAmino, authAminoConverters } from './auth/messages.ts';
export { BANK_TYPE_URLS, type BankEncodeObject, bankMsgs, bankTypes, bankAmino, bankAminoConverters } from './bank/messages.ts';
export { CONSENSUS_PUBKEY_TYPE_URL, STAKING_TYPE_URLS, type StakingEncodeObject, stakingMsgs, stakingTypes, stakingAmino, stakingAminoConverters } from './staking/messages.ts';
export { DISTRIBUTION_TYPE_URLS, type DistributionEncodeObject, distributionMsgs, distributionTypes, distributionAmino, distributionAminoConverters } from './distribution/messages.ts';
export { SLASHING_TYPE_URLS, type SlashingEncodeObject, slashingMsgs, slashingTypes, slashingAmino, slashingAminoConverters } from './slashing/messages.ts';
export { GOV_TYPE_URLS, GOV_V1BETA1_TYPE_URLS, type GovEncodeObject, govAmino, govAminoConverters, govMsgs, govTypes, govV1beta1Msgs, textProposalContent } from './gov/messages.ts';
export { UPGRADE_TYPE_URLS, type UpgradeEncodeObject, upgradeAmino, upgradeAminoConverters, upgradeMsgs, upgradeTypes } from './upgrade/messages.ts';
export { CONSENSUS_TYPE_URLS, type ConsensusEncodeObject, consensusAmino, consensusAminoConverters, consensusMsgs, consensusTypes } from './consensus/messages.ts';
export { FEEGRANT_TYPE_URLS, type FeegrantEncodeObject, basicAllowance, feegrantAmino, feegrantAminoConverters, feegrantMsgs, feegrantTypes, periodicAllowance } from './feegrant/messages.ts';
export { AUTHZ_TYPE_URLS, type AuthzEncodeObject, authzAmino, authzAminoConverters, authzMsgs, authzTypes, genericAuthorization, sendAuthorization } from './authz/messages.ts';
export { VESTING_TYPE_URLS, type VestingEncodeObject, vestingAmino, vestingAminoConverters, vestingMsgs, vestingTypes } from './vesting/messages.ts';
export { REGISTRY_TYPE_URLS, type RegistryEncodeObject, registryMsgs, registryTypes, registryAmino, registryAminoConverters } from './registry/messages.ts';
export { RECEIPTS_TYPE_URLS, type ReceiptsEncodeObject, receiptsMsgs, receiptsTypes, receiptsAmino, receiptsAminoConverters } from './receipts/messages.ts';
export { ROYALTY_TYPE_URLS, type RoyaltyEncodeObject, royaltyMsgs, royaltyTypes, royaltyAmino, royaltyAminoConverters } from './royalty/messages.ts';
export { EMISSION_TYPE_URLS, type EmissionEncodeObject, emissionMsgs, emissionTypes, emissionAmino, emissionAminoConverters } from './emission/messages.ts';
export { type RegistryExtension, type RegistryQueries, queryRegistry, setupRegistryExtension } from './registry/queries.ts';
export { type ReceiptsExtension, type ReceiptsQueries, queryReceipts, setupReceiptsExtension } from './receipts/queries.ts';
export { type RoyaltyExtension, type RoyaltyQueries, queryRoyalty, setupRoyaltyExtension } from './royalty/queries.ts';
export { type EmissionExtension, type EmissionQueries, queryEmission, setupEmissionExtension } from './emission/queries.ts';
