// Stateless checks at the message boundary. Everything here depends only on the message; limits
// that live in params (how many endpoints, GPUs, …) are checked in execute against the params.
import type { AddressCodec } from '../../core/framework/address.ts';
import { type Amount, parseAmount, validateDenom } from '../../core/framework/coins.ts';
import { ErrInvalidAddress } from '../../core/framework/sdk-errors.ts';
import type { Coin, Eval, GpuCommitment, RoyaltyRecipient } from '../../proto/gen/cairn/registry/v1/types.ts';
import { GpuTier, TeeType } from '../../proto/gen/cairn/registry/v1/types.ts';
import {
  ErrDuplicateGpuId,
  ErrInvalidBond,
  ErrInvalidContentHash,
  ErrInvalidEndpoint,
  ErrInvalidEval,
  ErrInvalidGpu,
  ErrInvalidKey,
  ErrInvalidLabel,
  ErrInvalidLicense,
  ErrInvalidLinkedHost,
  ErrInvalidModelId,
  ErrInvalidMoniker,
  ErrInvalidPrice,
  ErrInvalidRecipients,
  ErrInvalidRegion,
  ErrRoyaltyTooHigh,
} from './errors.ts';
import { ED25519_KEY_LENGTH } from '../../sdk/registry/sign-bytes.ts';
import { checkSpdxId } from './spdx.ts';
import type { RegisteredError } from '../../core/framework/errors.ts';

/** Hard limits of the message format (params may only be stricter). */
export const LIMITS = {
  monikerChars: 64,
  regionChars: 32,
  urlChars: 256,
  linkedHostChars: 128,
  endpoints: 32,
  linkedHosts: 64,
  gpuIdChars: 64,
  gpuModelChars: 64,
  vramGb: 4096,
  gpuCount: 1024,
  gpus: 1024,
  teeTypesPerGpu: 4,
  modelIdChars: 128,
  contentHashChars: 128,
  evalNameChars: 64,
  evals: 64,
  recipients: 64,
  labelChars: 64,
  measurementBytes: 128,
  hashBytes: 32,
} as const;

export const BPS = 10_000;

export function decodeAddress(codec: AddressCodec, address: string, role: string): Uint8Array {
  try {
    return codec.decode(address);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`invalid ${role} address: ${(e as Error).message}`);
  }
}

const CONTROL = /[\p{Cc}\p{Cf}]/u;

function chars(s: string): number {
  return [...s].length;
}

export function checkMoniker(moniker: string): void {
  if (moniker.length === 0) throw ErrInvalidMoniker.wrap('moniker is empty');
  if (chars(moniker) > LIMITS.monikerChars) throw ErrInvalidMoniker.wrap(`moniker has ${chars(moniker)} characters; the limit is ${LIMITS.monikerChars}`);
  if (CONTROL.test(moniker) || moniker.trim() !== moniker) throw ErrInvalidMoniker.wrap('moniker has control characters or surrounding spaces');
}

export function checkRegion(region: string): void {
  if (region.length === 0 || region.length > LIMITS.regionChars || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) {
    throw ErrInvalidRegion.wrap(`region "${region}" must be 1-${LIMITS.regionChars} lower-case letters, digits and single dashes, e.g. eu-west`);
  }
}

/** An https URL without credentials or fragment, exactly as written (no surrounding spaces). */
export function checkHttpsUrl(url: string, error: RegisteredError, what: string): void {
  if (url.length > LIMITS.urlChars) throw error.wrap(`${what} is ${url.length} characters; the limit is ${LIMITS.urlChars}`);
  if (!/^[\x21-\x7e]+$/.test(url)) throw error.wrap(`${what} "${url}" has spaces or non-ASCII characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw error.wrap(`${what} "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'https:') throw error.wrap(`${what} "${url}" uses ${parsed.protocol.replace(/:$/, '')}, not https`);
  if (parsed.hostname === '') throw error.wrap(`${what} "${url}" has no host`);
  if (parsed.username !== '' || parsed.password !== '') throw error.wrap(`${what} "${url}" carries credentials`);
  if (parsed.hash !== '') throw error.wrap(`${what} "${url}" has a fragment`);
}

export function checkEndpoints(endpoints: readonly string[]): void {
  if (endpoints.length === 0) throw ErrInvalidEndpoint.wrap('at least one endpoint is required');
  if (endpoints.length > LIMITS.endpoints) throw ErrInvalidEndpoint.wrap(`${endpoints.length} endpoints; the limit is ${LIMITS.endpoints}`);
  const seen = new Set<string>();
  for (const [i, url] of endpoints.entries()) {
    checkHttpsUrl(url, ErrInvalidEndpoint, `endpoints[${i}]`);
    if (seen.has(url)) throw ErrInvalidEndpoint.wrap(`endpoints[${i}] "${url}" is listed twice`);
    seen.add(url);
  }
}

export function checkLinkedHosts(hosts: readonly string[]): void {
  if (hosts.length > LIMITS.linkedHosts) throw ErrInvalidLinkedHost.wrap(`${hosts.length} linked hosts; the limit is ${LIMITS.linkedHosts}`);
  const seen = new Set<string>();
  for (const [i, host] of hosts.entries()) {
    if (host.length === 0 || host.length > LIMITS.linkedHostChars || !/^[\x21-\x7e]+$/.test(host)) {
      throw ErrInvalidLinkedHost.wrap(`linked_hosts[${i}] must be 1-${LIMITS.linkedHostChars} printable ASCII characters without spaces`);
    }
    if (seen.has(host)) throw ErrInvalidLinkedHost.wrap(`linked_hosts[${i}] "${host}" is listed twice`);
    seen.add(host);
  }
}

export function checkEd25519Key(key: Uint8Array, what: string): void {
  if (key.length !== ED25519_KEY_LENGTH) throw ErrInvalidKey.wrap(`${what} has ${key.length} bytes`);
}

/** One positive coin; `error` is the registered error for a missing or malformed one. */
export function parseCoin(coin: Coin | undefined, what: string, error: RegisteredError = ErrInvalidBond): Amount {
  if (coin === undefined) throw error.wrap(`${what} is missing`);
  try {
    validateDenom(coin.denom);
    const amount = parseAmount(coin.amount, what);
    if (amount === 0n) throw error.wrap(`${what} must be positive`);
    return { denom: coin.denom, amount };
  } catch (e) {
    if (error.is(e)) throw e;
    throw error.wrap(`${what}: ${(e as Error).message}`);
  }
}

const GPU_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const GPU_MODEL = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const TEE_TYPES: readonly number[] = [TeeType.TEE_TYPE_NONE, TeeType.TEE_TYPE_SEV_SNP, TeeType.TEE_TYPE_TDX, TeeType.TEE_TYPE_NVIDIA_CC];
const TIERS: readonly number[] = [GpuTier.GPU_TIER_CONSUMER, GpuTier.GPU_TIER_WORKSTATION, GpuTier.GPU_TIER_DATACENTER];

export function isTeeType(t: number): boolean {
  return TEE_TYPES.includes(t);
}

export function checkGpuId(id: string, what: string): void {
  if (id.length === 0 || id.length > LIMITS.gpuIdChars || !GPU_ID.test(id)) {
    throw ErrInvalidGpu.wrap(`${what} "${id}" must be 1-${LIMITS.gpuIdChars} letters, digits, '.', '_' or '-'`);
  }
}

export function checkGpus(gpus: readonly GpuCommitment[]): void {
  if (gpus.length > LIMITS.gpus) throw ErrInvalidGpu.wrap(`${gpus.length} GPU commitments; the limit is ${LIMITS.gpus}`);
  const ids = new Set<string>();
  for (const [i, g] of gpus.entries()) {
    const at = `gpus[${i}]`;
    checkGpuId(g.id, `${at}.id`);
    if (ids.has(g.id)) throw ErrDuplicateGpuId.wrap(`${at}.id "${g.id}" is used twice`);
    ids.add(g.id);
    if (g.model.length === 0 || g.model.length > LIMITS.gpuModelChars || !GPU_MODEL.test(g.model)) {
      throw ErrInvalidGpu.wrap(`${at}.model "${g.model}" must be 1-${LIMITS.gpuModelChars} letters, digits, '.', '_', '+' or '-', e.g. H100-80GB`);
    }
    if (g.vramGb < 1 || g.vramGb > LIMITS.vramGb) throw ErrInvalidGpu.wrap(`${at}.vram_gb ${g.vramGb} must be between 1 and ${LIMITS.vramGb}`);
    if (g.count < 1 || g.count > LIMITS.gpuCount) throw ErrInvalidGpu.wrap(`${at}.count ${g.count} must be between 1 and ${LIMITS.gpuCount}`);
    if (!TIERS.includes(g.tier)) throw ErrInvalidGpu.wrap(`${at}.tier must be consumer, workstation or datacenter`);
    if (g.teeTypes.length === 0) throw ErrInvalidGpu.wrap(`${at}.tee_types is empty: list TEE_TYPE_NONE for a GPU without a TEE`);
    if (g.teeTypes.length > LIMITS.teeTypesPerGpu || new Set(g.teeTypes).size !== g.teeTypes.length || !g.teeTypes.every(isTeeType)) {
      throw ErrInvalidGpu.wrap(`${at}.tee_types must be distinct known TEE types`);
    }
    parseCoin(g.pricePerHour, `${at}.price_per_hour`, ErrInvalidPrice);
  }
}

const MODEL_ID = /^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/;

export function checkModelId(id: string, what: string): void {
  if (id.length === 0 || id.length > LIMITS.modelIdChars || !MODEL_ID.test(id)) {
    throw ErrInvalidModelId.wrap(
      `${what} "${id}" must be 1-${LIMITS.modelIdChars} lower-case letters and digits, separated by single '.', '_', '/' or '-'`,
    );
  }
}

const SHA256_HASH = /^sha256:[0-9a-f]{64}$/;
const CID_V1_BASE32 = /^b[a-z2-7]{58,}$/;
const CID_V0 = /^Qm[1-9A-HJ-NP-Za-km-z]{44}$/;

export function checkContentHash(hash: string): void {
  if (hash.length > LIMITS.contentHashChars || !(SHA256_HASH.test(hash) || CID_V1_BASE32.test(hash) || CID_V0.test(hash))) {
    throw ErrInvalidContentHash.wrap(`content_hash "${hash.slice(0, LIMITS.contentHashChars)}"`);
  }
}

export function checkLicense(license: string): void {
  const check = checkSpdxId(license);
  if (check.ok) return;
  const hint = check.suggestion === undefined ? 'use an SPDX id such as Apache-2.0 or MIT, or LicenseRef-<name>' : `did you mean ${check.suggestion}?`;
  throw ErrInvalidLicense.wrap(`license "${license.slice(0, 80)}" (${hint})`);
}

export function checkEvals(evals: readonly Eval[]): void {
  if (evals.length > LIMITS.evals) throw ErrInvalidEval.wrap(`${evals.length} evals; the limit is ${LIMITS.evals}`);
  const names = new Set<string>();
  for (const [i, e] of evals.entries()) {
    if (e.name.length === 0 || e.name.length > LIMITS.evalNameChars || !/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(e.name)) {
      throw ErrInvalidEval.wrap(`evals[${i}].name "${e.name}" must be 1-${LIMITS.evalNameChars} letters, digits, '.', '_', ':' or '-'`);
    }
    if (names.has(e.name)) throw ErrInvalidEval.wrap(`evals[${i}].name "${e.name}" is used twice`);
    names.add(e.name);
    if (e.hash.length !== LIMITS.hashBytes) throw ErrInvalidEval.wrap(`evals[${i}].hash has ${e.hash.length} bytes; a sha256 has 32`);
    checkEvalUri(e.uri, `evals[${i}].uri`);
  }
}

function checkEvalUri(uri: string, what: string): void {
  if (uri.startsWith('ipfs://')) {
    if (uri.length > LIMITS.urlChars || !/^ipfs:\/\/[A-Za-z0-9]+(\/[\x21-\x7e]*)?$/.test(uri)) throw ErrInvalidEval.wrap(`${what} "${uri}" is not an ipfs:// URI`);
    return;
  }
  checkHttpsUrl(uri, ErrInvalidEval, what);
}

/** Royalty shape: bps within 0-10000 (the params cap is checked in execute); weights sum to 10000. */
export function checkRoyalty(royaltyBps: number, recipients: readonly RoyaltyRecipient[], codec: AddressCodec): void {
  if (royaltyBps > BPS) throw ErrRoyaltyTooHigh.wrap(`royalty_bps ${royaltyBps} is above ${BPS}`);
  if (recipients.length === 0) {
    if (royaltyBps > 0) throw ErrInvalidRecipients.wrap('a royalty needs at least one recipient');
    return;
  }
  if (recipients.length > LIMITS.recipients) throw ErrInvalidRecipients.wrap(`${recipients.length} recipients; the limit is ${LIMITS.recipients}`);
  const seen = new Set<string>();
  let total = 0;
  for (const [i, r] of recipients.entries()) {
    decodeAddress(codec, r.address, `recipients[${i}]`);
    if (seen.has(r.address)) throw ErrInvalidRecipients.wrap(`recipients[${i}] ${r.address} is listed twice`);
    seen.add(r.address);
    if (r.weightBps < 1 || r.weightBps > BPS) throw ErrInvalidRecipients.wrap(`recipients[${i}].weight_bps ${r.weightBps} must be between 1 and ${BPS}`);
    total += r.weightBps;
  }
  if (total !== BPS) throw ErrInvalidRecipients.wrap(`recipient weights add up to ${total}, not ${BPS}`);
}

export function checkLabel(label: string): void {
  if (chars(label) > LIMITS.labelChars || CONTROL.test(label)) {
    throw ErrInvalidLabel.wrap(`label must be at most ${LIMITS.labelChars} characters without control characters`);
  }
}
