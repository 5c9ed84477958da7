// The genesis section's JSON form and strict readers for it: snake_case names, u64/i64 as decimal
// strings, u32 as numbers, bytes as base64, enums by name. Unknown fields are refused, and every
// failure names the JSON path of the bad field.
import { GenesisError, array, object, optional, string, uint } from '../../core/framework/json.ts';
import type { CurrentAttestation, GenesisOperator, GenesisState } from '../../proto/gen/cairn/registry/v1/genesis.ts';
import {
  type Attestation,
  type Coin,
  type Eval,
  type GpuCommitment,
  GpuTier,
  type Model,
  ModelKind,
  type Operator,
  OperatorStatus,
  type Params,
  type PayerKey,
  type RetiredReceiptKey,
  type RoyaltyRecipient,
  type ServeOffer,
  TeeType,
  type UnbondingEntry,
} from '../../proto/gen/cairn/registry/v1/types.ts';
import { paramsToJson } from './params.ts';

type Obj = Record<string, unknown>;

function fields(json: unknown, path: string, allowed: readonly string[]): Obj {
  const o = object(json, path);
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new GenesisError(`${path}.${k}: unknown field`);
  return o;
}

const str = (o: Obj, k: string, path: string): string => optional(o[k], '', (v) => string(v, `${path}.${k}`));
const u64 = (o: Obj, k: string, path: string): bigint => optional(o[k], 0n, (v) => uint(v, `${path}.${k}`));
const u32 = (o: Obj, k: string, path: string): number => Number(optional(o[k], 0n, (v) => uint(v, `${path}.${k}`, 2n ** 32n - 1n)));
const i64 = (o: Obj, k: string, path: string): bigint =>
  optional(o[k], 0n, (v) => {
    const text = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : string(v, `${path}.${k}`);
    if (!/^-?(0|[1-9][0-9]*)$/.test(text)) throw new GenesisError(`${path}.${k}: "${text}" is not an integer`);
    const n = BigInt(text);
    if (n < -(2n ** 63n) || n >= 2n ** 63n) throw new GenesisError(`${path}.${k}: ${text} is out of the int64 range`);
    return n;
  });
const bool = (o: Obj, k: string, path: string): boolean =>
  optional(o[k], false, (v) => {
    if (typeof v !== 'boolean') throw new GenesisError(`${path}.${k}: expected a boolean`);
    return v;
  });
const list = <T>(o: Obj, k: string, path: string, read: (v: unknown, p: string) => T): T[] => array(o[k], `${path}.${k}`).map((v, i) => read(v, `${path}.${k}[${i}]`));

function bytes(o: Obj, k: string, path: string): Uint8Array {
  return optional(o[k], new Uint8Array(), (v) => readBase64(v, `${path}.${k}`));
}

function readBase64(v: unknown, path: string): Uint8Array {
  const text = string(v, path);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new GenesisError(`${path}: not base64`);
  return new Uint8Array(Buffer.from(text, 'base64'));
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

function enumOf<E extends Record<string, number>>(value: unknown, path: string, values: E): E[keyof E] {
  const name = optional(value, '', (v) => string(v, path));
  const known = Object.entries(values).filter(([n, v]) => v > 0 && !n.endsWith('_UNSPECIFIED'));
  const found = known.find(([n]) => n === name);
  if (found === undefined) throw new GenesisError(`${path}: "${name}" is not one of ${known.map(([n]) => n).join(', ')}`);
  return found[1] as E[keyof E];
}

function enumValue<E extends Record<string, number>>(o: Obj, k: string, path: string, values: E): E[keyof E] {
  return enumOf(o[k], `${path}.${k}`, values);
}

function enumName(values: Record<string, number>, value: number): string {
  return Object.entries(values).find(([, v]) => v === value)?.[0] ?? String(value);
}

function readCoin(json: unknown, path: string): Coin {
  const o = fields(json, path, ['denom', 'amount']);
  return { denom: string(o['denom'], `${path}.denom`), amount: uint(o['amount'], `${path}.amount`, 2n ** 256n - 1n).toString() };
}

const coinJson = (c: Coin | undefined): Obj | null => (c === undefined ? null : { denom: c.denom, amount: c.amount });

function readCoinField(o: Obj, k: string, path: string): Coin | undefined {
  return optional(o[k], undefined, (v) => readCoin(v, `${path}.${k}`));
}

// ---- params ----

const PARAM_FIELDS = [
  'authority',
  'min_operator_bond',
  'operator_unbonding_blocks',
  'max_royalty_bps',
  'max_royalty_recipients',
  'trusted_verifiers',
  'max_endpoints',
  'max_linked_hosts',
  'max_gpus_per_operator',
  'max_served_models',
  'max_payer_keys',
  'max_unbonding_entries',
  'max_attestation_validity_seconds',
  'price_denom',
  'max_evals',
] as const;

/** Missing fields take the defaults. */
export function readParams(json: unknown, path: string, defaults: Params): Params {
  const o = fields(json ?? {}, path, PARAM_FIELDS);
  const num = (k: string, d: number): number => (o[k] === undefined || o[k] === null ? d : u32(o, k, path));
  const big = (k: string, d: bigint): bigint => (o[k] === undefined || o[k] === null ? d : u64(o, k, path));
  return {
    authority: o['authority'] === undefined || o['authority'] === null ? defaults.authority : str(o, 'authority', path),
    minOperatorBond: readCoinField(o, 'min_operator_bond', path) ?? defaults.minOperatorBond,
    operatorUnbondingBlocks: big('operator_unbonding_blocks', defaults.operatorUnbondingBlocks),
    maxRoyaltyBps: num('max_royalty_bps', defaults.maxRoyaltyBps),
    maxRoyaltyRecipients: num('max_royalty_recipients', defaults.maxRoyaltyRecipients),
    trustedVerifiers: o['trusted_verifiers'] === undefined ? defaults.trustedVerifiers : list(o, 'trusted_verifiers', path, readBase64),
    maxEndpoints: num('max_endpoints', defaults.maxEndpoints),
    maxLinkedHosts: num('max_linked_hosts', defaults.maxLinkedHosts),
    maxGpusPerOperator: num('max_gpus_per_operator', defaults.maxGpusPerOperator),
    maxServedModels: num('max_served_models', defaults.maxServedModels),
    maxPayerKeys: num('max_payer_keys', defaults.maxPayerKeys),
    maxUnbondingEntries: num('max_unbonding_entries', defaults.maxUnbondingEntries),
    maxAttestationValiditySeconds: big('max_attestation_validity_seconds', defaults.maxAttestationValiditySeconds),
    priceDenom: o['price_denom'] === undefined || o['price_denom'] === null ? defaults.priceDenom : str(o, 'price_denom', path),
    maxEvals: num('max_evals', defaults.maxEvals),
  };
}

// ---- operators ----

function readOperator(json: unknown, path: string): Operator {
  const o = fields(json, path, [
    'address',
    'moniker',
    'endpoints',
    'region',
    'linked_hosts',
    'receipt_key',
    'receipt_key_since',
    'bond',
    'status',
    'reputation',
    'registered_height',
    'jailed_until',
  ]);
  const bond = readCoinField(o, 'bond', path);
  if (bond === undefined) throw new GenesisError(`${path}.bond: required`);
  return {
    address: str(o, 'address', path),
    moniker: str(o, 'moniker', path),
    endpoints: list(o, 'endpoints', path, string),
    region: str(o, 'region', path),
    linkedHosts: list(o, 'linked_hosts', path, string),
    receiptKey: bytes(o, 'receipt_key', path),
    receiptKeySince: u64(o, 'receipt_key_since', path),
    bond,
    status: enumValue(o, 'status', path, OperatorStatus),
    reputation: u64(o, 'reputation', path),
    registeredHeight: u64(o, 'registered_height', path),
    jailedUntil: u64(o, 'jailed_until', path),
  };
}

function operatorJson(op: Operator): Obj {
  return {
    address: op.address,
    moniker: op.moniker,
    endpoints: op.endpoints,
    region: op.region,
    linked_hosts: op.linkedHosts,
    receipt_key: b64(op.receiptKey),
    receipt_key_since: op.receiptKeySince.toString(),
    bond: coinJson(op.bond),
    status: enumName(OperatorStatus, op.status),
    reputation: op.reputation.toString(),
    registered_height: op.registeredHeight.toString(),
    jailed_until: op.jailedUntil.toString(),
  };
}

export function readGpu(json: unknown, path: string): GpuCommitment {
  const o = fields(json, path, ['id', 'model', 'vram_gb', 'count', 'tier', 'tee_types', 'price_per_hour', 'reservable']);
  return {
    id: str(o, 'id', path),
    model: str(o, 'model', path),
    vramGb: u32(o, 'vram_gb', path),
    count: u32(o, 'count', path),
    tier: enumValue(o, 'tier', path, GpuTier),
    teeTypes: list(o, 'tee_types', path, (v, p) => enumOf(v, p, TeeType)),
    pricePerHour: readCoinField(o, 'price_per_hour', path),
    reservable: bool(o, 'reservable', path),
  };
}

export function gpuJson(g: GpuCommitment): Obj {
  return {
    id: g.id,
    model: g.model,
    vram_gb: g.vramGb,
    count: g.count,
    tier: enumName(GpuTier, g.tier),
    tee_types: g.teeTypes.map((t) => enumName(TeeType, t)),
    price_per_hour: coinJson(g.pricePerHour),
    reservable: g.reservable,
  };
}

function readRetired(json: unknown, path: string): RetiredReceiptKey {
  const o = fields(json, path, ['key', 'valid_from', 'valid_until']);
  return { key: bytes(o, 'key', path), validFrom: u64(o, 'valid_from', path), validUntil: u64(o, 'valid_until', path) };
}

function readUnbonding(json: unknown, path: string): UnbondingEntry {
  const o = fields(json, path, ['id', 'operator', 'amount', 'creation_height', 'completion_height']);
  return {
    id: u64(o, 'id', path),
    operator: str(o, 'operator', path),
    amount: readCoinField(o, 'amount', path),
    creationHeight: u64(o, 'creation_height', path),
    completionHeight: u64(o, 'completion_height', path),
  };
}

function readServe(json: unknown, path: string): ServeOffer {
  const o = fields(json, path, ['operator', 'model_id', 'price_per_unit', 'since_height']);
  return { operator: str(o, 'operator', path), modelId: str(o, 'model_id', path), pricePerUnit: readCoinField(o, 'price_per_unit', path), sinceHeight: u64(o, 'since_height', path) };
}

function readCurrent(json: unknown, path: string): CurrentAttestation {
  const o = fields(json, path, ['gpu_id', 'attestation_id']);
  return { gpuId: str(o, 'gpu_id', path), attestationId: bytes(o, 'attestation_id', path) };
}

function readGenesisOperator(json: unknown, path: string): GenesisOperator {
  const o = fields(json, path, ['operator', 'gpus', 'retired_receipt_keys', 'unbonding', 'serves', 'current_attestations']);
  return {
    operator: readOperator(o['operator'], `${path}.operator`),
    gpus: list(o, 'gpus', path, readGpu),
    retiredReceiptKeys: list(o, 'retired_receipt_keys', path, readRetired),
    unbonding: list(o, 'unbonding', path, readUnbonding),
    serves: list(o, 'serves', path, readServe),
    currentAttestations: list(o, 'current_attestations', path, readCurrent),
  };
}

function genesisOperatorJson(g: GenesisOperator): Obj {
  return {
    operator: operatorJson(g.operator!),
    gpus: g.gpus.map(gpuJson),
    retired_receipt_keys: g.retiredReceiptKeys.map((r) => ({ key: b64(r.key), valid_from: r.validFrom.toString(), valid_until: r.validUntil.toString() })),
    unbonding: g.unbonding.map((u) => ({
      id: u.id.toString(),
      operator: u.operator,
      amount: coinJson(u.amount),
      creation_height: u.creationHeight.toString(),
      completion_height: u.completionHeight.toString(),
    })),
    serves: g.serves.map((s) => ({ operator: s.operator, model_id: s.modelId, price_per_unit: coinJson(s.pricePerUnit), since_height: s.sinceHeight.toString() })),
    current_attestations: g.currentAttestations.map((c) => ({ gpu_id: c.gpuId, attestation_id: b64(c.attestationId) })),
  };
}

// ---- models, payer keys, attestations ----

function readEval(json: unknown, path: string): Eval {
  const o = fields(json, path, ['name', 'hash', 'uri']);
  return { name: str(o, 'name', path), hash: bytes(o, 'hash', path), uri: str(o, 'uri', path) };
}

function readRecipient(json: unknown, path: string): RoyaltyRecipient {
  const o = fields(json, path, ['address', 'weight_bps']);
  return { address: str(o, 'address', path), weightBps: u32(o, 'weight_bps', path) };
}

const MODEL_FIELDS = [
  'id',
  'kind',
  'base_model_id',
  'author',
  'content_hash',
  'license',
  'evals',
  'royalty_bps',
  'recipients',
  'previous_version',
  'next_version',
  'version',
  'family',
  'deprecated',
  'registered_height',
  'updated_height',
  'deprecated_height',
] as const;

function readModel(json: unknown, path: string): Model {
  const o = fields(json, path, MODEL_FIELDS);
  return {
    id: str(o, 'id', path),
    kind: enumValue(o, 'kind', path, ModelKind),
    baseModelId: str(o, 'base_model_id', path),
    author: str(o, 'author', path),
    contentHash: str(o, 'content_hash', path),
    license: str(o, 'license', path),
    evals: list(o, 'evals', path, readEval),
    royaltyBps: u32(o, 'royalty_bps', path),
    recipients: list(o, 'recipients', path, readRecipient),
    previousVersion: str(o, 'previous_version', path),
    nextVersion: str(o, 'next_version', path),
    version: u64(o, 'version', path),
    family: str(o, 'family', path),
    deprecated: bool(o, 'deprecated', path),
    registeredHeight: u64(o, 'registered_height', path),
    updatedHeight: u64(o, 'updated_height', path),
    deprecatedHeight: u64(o, 'deprecated_height', path),
  };
}

function modelJson(m: Model): Obj {
  return {
    id: m.id,
    kind: enumName(ModelKind, m.kind),
    base_model_id: m.baseModelId,
    author: m.author,
    content_hash: m.contentHash,
    license: m.license,
    evals: m.evals.map((e) => ({ name: e.name, hash: b64(e.hash), uri: e.uri })),
    royalty_bps: m.royaltyBps,
    recipients: m.recipients.map((r) => ({ address: r.address, weight_bps: r.weightBps })),
    previous_version: m.previousVersion,
    next_version: m.nextVersion,
    version: m.version.toString(),
    family: m.family,
    deprecated: m.deprecated,
    registered_height: m.registeredHeight.toString(),
    updated_height: m.updatedHeight.toString(),
    deprecated_height: m.deprecatedHeight.toString(),
  };
}

function readPayerKey(json: unknown, path: string): PayerKey {
  const o = fields(json, path, ['payer', 'key', 'label', 'authorized_height', 'revoked_height']);
  return {
    payer: str(o, 'payer', path),
    key: bytes(o, 'key', path),
    label: str(o, 'label', path),
    authorizedHeight: u64(o, 'authorized_height', path),
    revokedHeight: u64(o, 'revoked_height', path),
  };
}

function readAttestation(json: unknown, path: string): Attestation {
  const o = fields(json, path, ['id', 'operator', 'gpu_id', 'tee_type', 'measurement', 'report_hash', 'issued_at', 'expires_at', 'verifier', 'signature', 'submitted_height']);
  return {
    id: bytes(o, 'id', path),
    operator: str(o, 'operator', path),
    gpuId: str(o, 'gpu_id', path),
    teeType: enumValue(o, 'tee_type', path, TeeType),
    measurement: bytes(o, 'measurement', path),
    reportHash: bytes(o, 'report_hash', path),
    issuedAt: i64(o, 'issued_at', path),
    expiresAt: i64(o, 'expires_at', path),
    verifier: bytes(o, 'verifier', path),
    signature: bytes(o, 'signature', path),
    submittedHeight: u64(o, 'submitted_height', path),
  };
}

function attestationJson(a: Attestation): Obj {
  return {
    id: b64(a.id),
    operator: a.operator,
    gpu_id: a.gpuId,
    tee_type: enumName(TeeType, a.teeType),
    measurement: b64(a.measurement),
    report_hash: b64(a.reportHash),
    issued_at: a.issuedAt.toString(),
    expires_at: a.expiresAt.toString(),
    verifier: b64(a.verifier),
    signature: b64(a.signature),
    submitted_height: a.submittedHeight.toString(),
  };
}

// ---- the section ----

export function readGenesisJson(json: unknown, defaults: Params): GenesisState {
  const path = 'registry';
  const o = fields(json, path, ['params', 'operators', 'models', 'payer_keys', 'attestations', 'next_unbonding_id', 'forged_evidence']);
  return {
    params: readParams(o['params'], `${path}.params`, defaults),
    operators: list(o, 'operators', path, readGenesisOperator),
    models: list(o, 'models', path, readModel),
    payerKeys: list(o, 'payer_keys', path, readPayerKey),
    attestations: list(o, 'attestations', path, readAttestation),
    nextUnbondingId: o['next_unbonding_id'] === undefined || o['next_unbonding_id'] === null ? 1n : u64(o, 'next_unbonding_id', path),
    forgedEvidence: list(o, 'forged_evidence', path, readBase64),
  };
}

export function genesisToJson(g: GenesisState): Obj {
  return {
    params: paramsToJson(g.params!),
    operators: g.operators.map(genesisOperatorJson),
    models: g.models.map(modelJson),
    payer_keys: g.payerKeys.map((k) => ({
      payer: k.payer,
      key: b64(k.key),
      label: k.label,
      authorized_height: k.authorizedHeight.toString(),
      revoked_height: k.revokedHeight.toString(),
    })),
    attestations: g.attestations.map(attestationJson),
    next_unbonding_id: g.nextUnbondingId.toString(),
    // Written only when there is some, so a chain without forged-attestation reports keeps its shape.
    ...(g.forgedEvidence.length > 0 ? { forged_evidence: g.forgedEvidence.map(b64) } : {}),
  };
}
