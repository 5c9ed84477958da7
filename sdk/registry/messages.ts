// The registry's message types for a CosmJS Registry (SigningStargateClient, signing in tests and
// the CLI): `new Registry([...defaultRegistryTypes, ...registryTypes])`.
import type { GeneratedType } from '@cosmjs/proto-signing';
import * as tx from '../../proto/gen/cairn/registry/v1/tx.ts';

export const PACKAGE = 'cairn.registry.v1';

/** `/cairn.registry.v1.<name>`: the type URL of one of this module's messages. */
export function typeUrl(name: string): string {
  return `/${PACKAGE}.${name}`;
}

const MESSAGES = [
  ['MsgRegisterOperator', tx.MsgRegisterOperator],
  ['MsgUpdateOperator', tx.MsgUpdateOperator],
  ['MsgAddBond', tx.MsgAddBond],
  ['MsgBeginUnbond', tx.MsgBeginUnbond],
  ['MsgRotateReceiptKey', tx.MsgRotateReceiptKey],
  ['MsgCommitGpus', tx.MsgCommitGpus],
  ['MsgRegisterModel', tx.MsgRegisterModel],
  ['MsgUpdateModel', tx.MsgUpdateModel],
  ['MsgDeprecateModel', tx.MsgDeprecateModel],
  ['MsgServeModel', tx.MsgServeModel],
  ['MsgStopServing', tx.MsgStopServing],
  ['MsgAuthorizePayerKey', tx.MsgAuthorizePayerKey],
  ['MsgRevokePayerKey', tx.MsgRevokePayerKey],
  ['MsgSubmitAttestation', tx.MsgSubmitAttestation],
  ['MsgUpdateParams', tx.MsgUpdateParams],
  ['MsgReportForgedAttestation', tx.MsgReportForgedAttestation],
  ['MsgUnjailOperator', tx.MsgUnjailOperator],
] as const;

/** [type URL, generated type] for every registry message. ts-proto types built on @bufbuild/protobuf
 * are not protobufjs-typed, but CosmJS only calls encode(…).finish(), decode and fromPartial on them. */
export const registryTypes: ReadonlyArray<[string, GeneratedType]> = MESSAGES.map(([name, type]) => [typeUrl(name), type as unknown as GeneratedType]);

/** Type URLs by message name, e.g. REGISTRY_TYPE_URLS.MsgRegisterOperator. */
export const REGISTRY_TYPE_URLS = Object.fromEntries(MESSAGES.map(([name]) => [name, typeUrl(name)])) as Record<(typeof MESSAGES)[number][0], string>;
