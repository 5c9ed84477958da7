// Registry records as the CLI prints them: enum names instead of numbers, amounts as "<n><denom>".
// With --output json, bigints become strings and bytes upper-case hex (cli/output.ts).
import type { CatalogEntry, ModelServer } from '../../../proto/gen/cairn/registry/v1/query.ts';
import {
  type Attestation,
  type Coin,
  type GpuCommitment,
  GpuTier,
  type Model,
  ModelKind,
  type Operator,
  OperatorStatus,
  type PayerKey,
  type ServeOffer,
  TeeType,
  TrustLevel,
} from '../../../proto/gen/cairn/registry/v1/types.ts';
import { fields, table } from '../../output.ts';
import { enumName } from './client.ts';

export const coinText = (c: Coin | undefined): string => (c === undefined ? '-' : `${c.amount}${c.denom}`);
export const hexText = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const trustText = (t: TrustLevel): string => enumName(TrustLevel, 'TRUST_LEVEL_', t);

export function operatorView(op: Operator) {
  return { ...op, status: enumName(OperatorStatus, 'OPERATOR_STATUS_', op.status), bond: coinText(op.bond) };
}

export function gpuView(g: GpuCommitment) {
  return {
    ...g,
    tier: enumName(GpuTier, 'GPU_TIER_', g.tier),
    teeTypes: g.teeTypes.map((t) => enumName(TeeType, 'TEE_TYPE_', t)),
    pricePerHour: coinText(g.pricePerHour),
  };
}

export function modelView(m: Model) {
  return { ...m, kind: enumName(ModelKind, 'MODEL_KIND_', m.kind) };
}

export function offerView(o: ServeOffer) {
  return { ...o, pricePerUnit: coinText(o.pricePerUnit) };
}

export function attestationView(a: Attestation) {
  return { ...a, teeType: enumName(TeeType, 'TEE_TYPE_', a.teeType) };
}

export function payerKeyView(k: PayerKey) {
  return { ...k, key: hexText(k.key) };
}

export function gpusTable(gpus: readonly GpuCommitment[]): string {
  if (gpus.length === 0) return '(no GPU commitments)';
  return table(
    ['ID', 'MODEL', 'VRAM', 'COUNT', 'TIER', 'TEE', 'PRICE/HOUR', 'RESERVABLE'],
    gpus.map((g) => {
      const v = gpuView(g);
      return [g.id, g.model, `${g.vramGb} GB`, String(g.count), v.tier, v.teeTypes.join('+'), v.pricePerHour, g.reservable ? 'yes' : 'no'];
    }),
  );
}

export function catalogTable(entries: readonly CatalogEntry[]): string {
  if (entries.length === 0) return 'No operator matches.';
  return table(
    ['MONIKER', 'ADDRESS', 'REGION', 'GPUS', 'PRICE', 'TRUST', 'REPUTATION', 'STATUS'],
    entries.map((e) => [
      e.operator!.moniker,
      e.operator!.address,
      e.operator!.region,
      e.gpus.map((g) => `${g.count}x${g.model}`).join(' '),
      coinText(e.price),
      trustText(e.trustLevel),
      e.operator!.reputation.toString(),
      enumName(OperatorStatus, 'OPERATOR_STATUS_', e.operator!.status),
    ]),
  );
}

export function serversTable(servers: readonly ModelServer[]): string {
  if (servers.length === 0) return 'No active operator serves this model.';
  return table(
    ['MONIKER', 'OPERATOR', 'PRICE/UNIT', 'REGION', 'TRUST', 'ENDPOINT'],
    servers.map((s) => [s.moniker, s.offer!.operator, coinText(s.offer!.pricePerUnit), s.region, trustText(s.trustLevel), s.endpoints[0] ?? '']),
  );
}

export function modelsTable(models: readonly Model[]): string {
  if (models.length === 0) return 'No models.';
  return table(
    ['ID', 'KIND', 'BASE', 'VERSION', 'LICENSE', 'ROYALTY', 'AUTHOR', 'DEPRECATED'],
    models.map((m) => [m.id, modelView(m).kind, m.baseModelId || '-', m.version.toString(), m.license, `${m.royaltyBps} bps`, m.author, m.deprecated ? 'yes' : 'no']),
  );
}

export function modelFields(m: Model): string {
  return fields([
    ['id', m.id],
    ['kind', modelView(m).kind],
    ...(m.baseModelId === '' ? [] : [['base model', m.baseModelId] as const]),
    ['author', m.author],
    ['content hash', m.contentHash],
    ['license', m.license],
    ['royalty', `${m.royaltyBps} bps to ${m.recipients.map((r) => `${r.address} (${r.weightBps} bps)`).join(', ') || 'nobody'}`],
    ['evals', m.evals.map((e) => `${e.name} ${e.uri}`).join('; ') || '-'],
    ['version', `${m.version} of ${m.family}${m.previousVersion ? `, after ${m.previousVersion}` : ''}${m.nextVersion ? `, before ${m.nextVersion}` : ''}`],
    ['deprecated', m.deprecated ? `yes, at height ${m.deprecatedHeight}` : 'no'],
    ['registered', `height ${m.registeredHeight}`],
  ]);
}
