// registry genesis: validate (shape, then every record with the same checks the messages use, then
// cross-references), init (records plus the indexes derived from them, and the bonds module
// account, whose balance must equal the bonds), export (the records; indexes are rebuilt on import).
import { AddressCodec, moduleAddress } from '../../core/framework/address.ts';
import type { Context, QueryContext } from '../../core/framework/context.ts';
import { GenesisError, at, fail } from '../../core/framework/json.ts';
import type { GenesisHandlers } from '../../core/framework/module.ts';
import type { GenesisOperator, GenesisState } from '../../proto/gen/cairn/registry/v1/genesis.ts';
import { type Attestation, type Model, ModelKind, OperatorStatus, TeeType } from '../../proto/gen/cairn/registry/v1/types.ts';
import type { RegistryAccounts, RegistryBank } from './deps.ts';
import { genesisToJson, readGenesisJson } from './genesis-json.ts';
import type { RegistryKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { checkTermLimits, checkTerms } from './msgs/model-terms.ts';
import { checkListingLimits } from './msgs/update-operator.ts';
import { defaultParams, paramsToJson, validateParams } from './params.ts';
import {
  checkContentHash,
  checkEd25519Key,
  checkEndpoints,
  checkGpuId,
  checkGpus,
  checkLabel,
  checkLinkedHosts,
  checkModelId,
  checkMoniker,
  checkRegion,
  decodeAddress,
  parseCoin,
} from './validate.ts';

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function validateOperators(g: GenesisState, addresses: AddressCodec, models: ReadonlyMap<string, Model>, attestations: ReadonlyMap<string, Attestation>): void {
  const params = g.params!;
  const bondDenom = params.minOperatorBond!.denom;
  const seen = new Set<string>();
  const receiptKeys = new Set<string>();
  const unbondingIds = new Set<bigint>();
  const takeKey = (key: Uint8Array, path: string): void => {
    at(path, () => checkEd25519Key(key, 'key'));
    if (receiptKeys.has(hexOf(key))) fail(path, 'receipt key used twice');
    receiptKeys.add(hexOf(key));
  };
  for (const [i, entry] of g.operators.entries()) {
    const path = `registry.operators[${i}]`;
    const op = entry.operator!;
    at(`${path}.operator.address`, () => decodeAddress(addresses, op.address, 'operator'));
    if (seen.has(op.address)) fail(`${path}.operator.address`, `duplicate operator ${op.address}`);
    seen.add(op.address);
    at(`${path}.operator`, () => {
      checkMoniker(op.moniker);
      checkEndpoints(op.endpoints);
      checkRegion(op.region);
      checkLinkedHosts(op.linkedHosts);
      checkListingLimits(op, params);
    });
    takeKey(op.receiptKey, `${path}.operator.receipt_key`);
    if (op.bond!.denom !== bondDenom) fail(`${path}.operator.bond`, `bonds are in ${bondDenom}`);
    if (op.status !== OperatorStatus.OPERATOR_STATUS_JAILED && op.jailedUntil !== 0n) fail(`${path}.operator.jailed_until`, 'set on an operator that is not jailed');
    validateOperatorParts(entry, path, g, models, attestations, takeKey, unbondingIds);
  }
}

function validateOperatorParts(
  entry: GenesisOperator,
  path: string,
  g: GenesisState,
  models: ReadonlyMap<string, Model>,
  attestations: ReadonlyMap<string, Attestation>,
  takeKey: (key: Uint8Array, path: string) => void,
  unbondingIds: Set<bigint>,
): void {
  const params = g.params!;
  const op = entry.operator!;
  at(`${path}.gpus`, () => checkGpus(entry.gpus));
  if (entry.gpus.length > params.maxGpusPerOperator) fail(`${path}.gpus`, `more than max_gpus_per_operator (${params.maxGpusPerOperator})`);
  for (const [j, gpu] of entry.gpus.entries()) {
    if (gpu.pricePerHour!.denom !== params.priceDenom) fail(`${path}.gpus[${j}].price_per_hour`, `prices are in ${params.priceDenom}`);
  }
  for (const [j, r] of entry.retiredReceiptKeys.entries()) {
    takeKey(r.key, `${path}.retired_receipt_keys[${j}].key`);
    if (r.validUntil < r.validFrom) fail(`${path}.retired_receipt_keys[${j}]`, 'valid_until is before valid_from');
  }
  if (entry.unbonding.length > params.maxUnbondingEntries) fail(`${path}.unbonding`, `more than max_unbonding_entries (${params.maxUnbondingEntries})`);
  for (const [j, u] of entry.unbonding.entries()) {
    const p = `${path}.unbonding[${j}]`;
    if (u.operator !== op.address) fail(`${p}.operator`, `must be ${op.address}`);
    const amount = at(`${p}.amount`, () => parseCoin(u.amount, 'amount'));
    if (amount.denom !== params.minOperatorBond!.denom) fail(`${p}.amount`, `bonds are in ${params.minOperatorBond!.denom}`);
    if (u.id === 0n || u.id >= g.nextUnbondingId) fail(`${p}.id`, `must be between 1 and next_unbonding_id - 1 (${g.nextUnbondingId - 1n})`);
    if (unbondingIds.has(u.id)) fail(`${p}.id`, `duplicate unbonding id ${u.id}`);
    unbondingIds.add(u.id);
  }
  const served = new Set<string>();
  if (entry.serves.length > params.maxServedModels) fail(`${path}.serves`, `more than max_served_models (${params.maxServedModels})`);
  for (const [j, s] of entry.serves.entries()) {
    const p = `${path}.serves[${j}]`;
    if (s.operator !== op.address) fail(`${p}.operator`, `must be ${op.address}`);
    if (!models.has(s.modelId)) fail(`${p}.model_id`, `model ${s.modelId} is not in registry.models`);
    if (served.has(s.modelId)) fail(`${p}.model_id`, `${s.modelId} is served twice`);
    served.add(s.modelId);
    const price = at(`${p}.price_per_unit`, () => parseCoin(s.pricePerUnit, 'price_per_unit'));
    if (price.denom !== params.priceDenom) fail(`${p}.price_per_unit`, `prices are in ${params.priceDenom}`);
  }
  const gpuIds = new Map(entry.gpus.map((gpu) => [gpu.id, gpu]));
  const pointed = new Set<string>();
  for (const [j, c] of entry.currentAttestations.entries()) {
    const p = `${path}.current_attestations[${j}]`;
    at(`${p}.gpu_id`, () => checkGpuId(c.gpuId, 'gpu_id'));
    const gpu = gpuIds.get(c.gpuId);
    if (gpu === undefined) fail(`${p}.gpu_id`, `${c.gpuId} is not one of the operator's GPUs`);
    if (pointed.has(c.gpuId)) fail(`${p}.gpu_id`, `${c.gpuId} has two current attestations`);
    pointed.add(c.gpuId);
    const a = attestations.get(hexOf(c.attestationId));
    if (a === undefined) fail(`${p}.attestation_id`, 'not in registry.attestations');
    if (a.operator !== op.address || a.gpuId !== c.gpuId) fail(`${p}.attestation_id`, 'belongs to another operator or GPU');
    if (a.teeType !== TeeType.TEE_TYPE_NONE && !gpu.teeTypes.includes(a.teeType)) fail(`${p}.attestation_id`, 'its TEE type is not declared by the GPU');
  }
}

function validateModels(g: GenesisState, addresses: AddressCodec): Map<string, Model> {
  const byId = new Map<string, Model>();
  const hashes = new Set<string>();
  for (const [i, m] of g.models.entries()) {
    const path = `registry.models[${i}]`;
    at(`${path}.id`, () => checkModelId(m.id, 'id'));
    if (byId.has(m.id)) fail(`${path}.id`, `duplicate model ${m.id}`);
    byId.set(m.id, m);
    at(`${path}.author`, () => decodeAddress(addresses, m.author, 'author'));
    at(`${path}.content_hash`, () => checkContentHash(m.contentHash));
    if (hashes.has(m.contentHash)) fail(`${path}.content_hash`, 'registered twice');
    hashes.add(m.contentHash);
    at(path, () => {
      checkTerms(m, addresses);
      checkTermLimits(m, g.params!);
    });
    if (m.deprecated !== (m.deprecatedHeight > 0n)) fail(`${path}.deprecated_height`, 'must be set exactly when deprecated');
  }
  for (const [i, m] of g.models.entries()) {
    const path = `registry.models[${i}]`;
    if (m.kind === ModelKind.MODEL_KIND_ADAPTER) {
      const base = byId.get(m.baseModelId);
      if (base === undefined) fail(`${path}.base_model_id`, `${m.baseModelId} is not in registry.models`);
      if (base.kind !== ModelKind.MODEL_KIND_BASE) fail(`${path}.base_model_id`, `${m.baseModelId} is an adapter`);
    } else if (m.baseModelId !== '') fail(`${path}.base_model_id`, 'a base model has none');
    if (m.previousVersion === '') {
      if (m.version !== 1n || m.family !== m.id) fail(path, 'a first version has version 1 and is its own family');
    } else {
      const prev = byId.get(m.previousVersion);
      if (prev === undefined) fail(`${path}.previous_version`, `${m.previousVersion} is not in registry.models`);
      if (prev.nextVersion !== m.id || prev.author !== m.author || prev.kind !== m.kind) fail(`${path}.previous_version`, 'does not name this model as its next version, or differs in author or kind');
      if (m.version !== prev.version + 1n || m.family !== prev.family) fail(`${path}.version`, `must be ${prev.version + 1n} in family ${prev.family}`);
    }
    if (m.nextVersion !== '' && byId.get(m.nextVersion)?.previousVersion !== m.id) fail(`${path}.next_version`, `${m.nextVersion} does not name ${m.id} as its previous version`);
  }
  return byId;
}

function validateAttestations(g: GenesisState, operators: ReadonlySet<string>): Map<string, Attestation> {
  const byId = new Map<string, Attestation>();
  for (const [i, a] of g.attestations.entries()) {
    const path = `registry.attestations[${i}]`;
    if (a.id.length !== 32) fail(`${path}.id`, 'must be 32 bytes');
    if (byId.has(hexOf(a.id))) fail(`${path}.id`, 'duplicate attestation');
    byId.set(hexOf(a.id), a);
    if (!operators.has(a.operator)) fail(`${path}.operator`, `${a.operator} is not in registry.operators`);
    if (a.expiresAt <= a.issuedAt) fail(`${path}.expires_at`, 'not after issued_at');
    if ((a.teeType === TeeType.TEE_TYPE_NONE) !== (a.verifier.length === 0)) fail(`${path}.verifier`, 'required exactly for TEE types other than NONE');
  }
  return byId;
}

function validatePayerKeys(g: GenesisState, addresses: AddressCodec): void {
  const seen = new Set<string>();
  const active = new Map<string, number>();
  for (const [i, k] of g.payerKeys.entries()) {
    const path = `registry.payer_keys[${i}]`;
    at(`${path}.payer`, () => decodeAddress(addresses, k.payer, 'payer'));
    at(`${path}.key`, () => checkEd25519Key(k.key, 'key'));
    at(`${path}.label`, () => checkLabel(k.label));
    const id = `${k.payer}/${hexOf(k.key)}`;
    if (seen.has(id)) fail(`${path}.key`, 'listed twice for this payer');
    seen.add(id);
    if (k.revokedHeight !== 0n && k.revokedHeight < k.authorizedHeight) fail(`${path}.revoked_height`, 'before authorized_height');
    if (k.revokedHeight === 0n) active.set(k.payer, (active.get(k.payer) ?? 0) + 1);
    if ((active.get(k.payer) ?? 0) > g.params!.maxPayerKeys) fail(`${path}`, `${k.payer} has more than max_payer_keys active keys`);
  }
}

export function validateRegistryGenesis(json: unknown, addresses: AddressCodec): GenesisState {
  const g = readGenesisJson(json, defaultParams(addresses));
  at('registry.params', () => validateParams(g.params!, addresses));
  if (g.nextUnbondingId === 0n) fail('registry.next_unbonding_id', 'must be at least 1');
  const models = validateModels(g, addresses);
  const operators = new Set(g.operators.map((o) => o.operator!.address));
  const attestations = validateAttestations(g, operators);
  validateOperators(g, addresses, models, attestations);
  validatePayerKeys(g, addresses);
  const seen = new Set<string>();
  for (const [i, h] of g.forgedEvidence.entries()) {
    if (h.length !== 32) fail(`registry.forged_evidence[${i}]`, `has ${h.length} bytes; an evidence hash is a 32-byte sha256`);
    if (seen.has(hexOf(h))) fail(`registry.forged_evidence[${i}]`, 'appears twice');
    seen.add(hexOf(h));
  }
  return g;
}

export function registryGenesis(registry: RegistryKeeper, bank: RegistryBank, accounts: RegistryAccounts): GenesisHandlers<GenesisState> {
  return {
    defaultGenesis: () => {
      // The authority depends on the chain's address prefix, so the default leaves it out and
      // validation fills in the gov module address.
      const { authority: _, ...params } = paramsToJson(defaultParams(new AddressCodec('cairn')));
      return { params, operators: [], models: [], payer_keys: [], attestations: [], next_unbonding_id: '1' };
    },

    validate: validateRegistryGenesis,

    async init(g, ctx: Context) {
      const store = ctx.store;
      await accounts.ensureModuleAccount(store, keys.BONDS_ACCOUNT, (a) => ctx.addresses.encode(a));
      keys.params.set(store, g.params!);
      keys.blockTime.set(store, ctx.block.time);
      keys.nextUnbondingId.set(store, g.nextUnbondingId);
      for (const m of g.models) {
        keys.models.set(store, m.id, m);
        keys.contentHashes.set(store, m.contentHash, m.id);
        keys.versions.set(store, [m.family, m.version], m.id);
        if (m.kind === ModelKind.MODEL_KIND_ADAPTER) keys.adapters.set(store, [m.baseModelId, m.id], true);
      }
      for (const a of g.attestations) keys.attestations.set(store, a.id, a);
      for (const h of g.forgedEvidence) keys.forgedEvidence.set(store, h, true);
      let owed = 0n;
      for (const entry of g.operators) {
        const op = entry.operator!;
        const address = ctx.addresses.decode(op.address);
        registry.setOperator(store, address, op);
        owed += BigInt(op.bond!.amount);
        keys.receiptKeyOwners.set(store, op.receiptKey, address);
        for (const gpu of entry.gpus) keys.gpus.set(store, [address, gpu.id], gpu);
        for (const r of entry.retiredReceiptKeys) {
          keys.retiredKeys.set(store, [address, r.key], r);
          keys.receiptKeyOwners.set(store, r.key, address);
        }
        for (const u of entry.unbonding) {
          registry.setUnbondingEntry(store, address, u);
          owed += BigInt(u.amount!.amount);
        }
        for (const s of entry.serves) {
          keys.serves.set(store, [address, s.modelId], s);
          keys.servers.set(store, [s.modelId, address], true);
        }
        for (const c of entry.currentAttestations) keys.currentAttestations.set(store, [address, c.gpuId], c.attestationId);
      }
      for (const k of g.payerKeys) keys.payerKeys.set(store, [ctx.addresses.decode(k.payer), k.key], k);
      const denom = g.params!.minOperatorBond!.denom;
      const held = await bank.balance(store, moduleAddress(keys.BONDS_ACCOUNT), denom);
      if (held !== owed) {
        throw new GenesisError(`registry: the ${keys.BONDS_ACCOUNT} account holds ${held}${denom} but bonds and unbonding entries add up to ${owed}${denom}`);
      }
    },

    async export(ctx: QueryContext) {
      const store = ctx.store;
      const operators: GenesisOperator[] = [];
      for await (const [address, op] of keys.operators.entries(store)) {
        const prefix = { subPrefix: keys.addressPrefix(address) };
        const retired = [];
        for await (const [, r] of keys.retiredKeys.entries(store, prefix)) retired.push(r);
        const serves = [];
        for await (const [, s] of keys.serves.entries(store, prefix)) serves.push(s);
        const current = [];
        for await (const [[, gpuId], id] of keys.currentAttestations.entries(store, prefix)) current.push({ gpuId, attestationId: id });
        operators.push({
          operator: op,
          gpus: await registry.gpusOf(store, address),
          retiredReceiptKeys: retired,
          unbonding: await registry.unbondingOf(store, address),
          serves,
          currentAttestations: current,
        });
      }
      const models: Model[] = [];
      for await (const [, m] of keys.models.entries(store)) models.push(m);
      const payerKeys = [];
      for await (const [, k] of keys.payerKeys.entries(store)) payerKeys.push(k);
      const attestations = [];
      for await (const [, a] of keys.attestations.entries(store)) attestations.push(a);
      const forgedEvidence: Uint8Array[] = [];
      for await (const [h] of keys.forgedEvidence.entries(store)) forgedEvidence.push(h);
      return genesisToJson({
        params: await registry.params(store),
        operators,
        models,
        payerKeys,
        attestations,
        nextUnbondingId: (await keys.nextUnbondingId.get(store)) ?? 1n,
        forgedEvidence,
      });
    },
  };
}
