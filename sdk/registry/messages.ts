// The registry's client face: operators, their bonds, GPUs, receipt and payer keys, attestations, and the model catalog.
// The only place its type URLs are spelled: the module's handlers register with them, and
// wallets, the CLI and the node's own signers build their messages with `registryMsgs`.
import * as tx from '../../proto/gen/cairn/registry/v1/tx.ts';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { type AminoMessage, aminoConverters } from '../amino.ts';
import { cairnModuleAmino } from '../cairn-amino.ts';

export const REGISTRY_TYPE_URLS = {
  MsgRegisterOperator: '/cairn.registry.v1.MsgRegisterOperator',
  MsgUpdateOperator: '/cairn.registry.v1.MsgUpdateOperator',
  MsgAddBond: '/cairn.registry.v1.MsgAddBond',
  MsgBeginUnbond: '/cairn.registry.v1.MsgBeginUnbond',
  MsgRotateReceiptKey: '/cairn.registry.v1.MsgRotateReceiptKey',
  MsgCommitGpus: '/cairn.registry.v1.MsgCommitGpus',
  MsgRegisterModel: '/cairn.registry.v1.MsgRegisterModel',
  MsgUpdateModel: '/cairn.registry.v1.MsgUpdateModel',
  MsgDeprecateModel: '/cairn.registry.v1.MsgDeprecateModel',
  MsgServeModel: '/cairn.registry.v1.MsgServeModel',
  MsgStopServing: '/cairn.registry.v1.MsgStopServing',
  MsgAuthorizePayerKey: '/cairn.registry.v1.MsgAuthorizePayerKey',
  MsgRevokePayerKey: '/cairn.registry.v1.MsgRevokePayerKey',
  MsgSubmitAttestation: '/cairn.registry.v1.MsgSubmitAttestation',
  MsgUpdateParams: '/cairn.registry.v1.MsgUpdateParams',
  MsgReportForgedAttestation: '/cairn.registry.v1.MsgReportForgedAttestation',
  MsgUnjailOperator: '/cairn.registry.v1.MsgUnjailOperator',
} as const;

export type RegistryMsgName = keyof typeof REGISTRY_TYPE_URLS;
/** e.g. `RegistryEncodeObject<'MsgRegisterOperator'>`. */
export type RegistryEncodeObject<K extends RegistryMsgName = RegistryMsgName> = EncodeObjects<typeof REGISTRY_TYPE_URLS, typeof tx>[K];

/** For a CosmJS Registry. */
export const registryTypes = generatedTypes(REGISTRY_TYPE_URLS, tx);
/** `registryMsgs.MsgRegisterOperator({ … })`: the EncodeObject to sign. */
export const registryMsgs = encodeObjectBuilders(REGISTRY_TYPE_URLS, tx);

/** Amino JSON (Ledger, Keplr's amino path): `cairn/MsgX`, params as `cairn/x/registry/MsgUpdateParams`. */
export const registryAmino: readonly AminoMessage[] = cairnModuleAmino('registry', REGISTRY_TYPE_URLS, tx);
/** For `new AminoTypes({ ...registryAminoConverters })`: a CosmJS client signs registry messages with amino JSON. */
export const registryAminoConverters = aminoConverters(registryAmino);
