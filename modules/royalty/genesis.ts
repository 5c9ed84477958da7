// royalty genesis: params, the ledger, the per-epoch accruals and roots, and OFFCHAIN obligations.
// Validation checks every address and amount, and that each recipient's lifetime entry is the sum of
// its accruals (the module's invariant). Init creates the treasury module account.
import type { AddressCodec } from '../../core/framework/address.ts';
import type { Context, QueryContext } from '../../core/framework/context.ts';
import { at, fail } from '../../core/framework/json.ts';
import type { GenesisHandlers } from '../../core/framework/module.ts';
import { AddressCodec as Codec } from '../../core/framework/address.ts';
import { parseU128 } from '../../sdk/bytes.ts';
import { GenesisState } from '../../proto/gen/cairn/royalty/v1/genesis.ts';
import type { RoyaltyAccounts } from './deps.ts';
import * as keys from './keys.ts';
import { defaultParams, validateParams } from './params.ts';
import { readProtoJson, writeProtoJson } from '../../core/framework/proto-json.ts';

const amount = (text: string, path: string): bigint => at(path, () => parseU128(text, 'amount'));
const address = (addresses: AddressCodec, text: string, path: string): Uint8Array => at(path, () => addresses.decode(text));

export function validateRoyaltyGenesis(json: unknown, addresses: AddressCodec): GenesisState {
  const g = readProtoJson(GenesisState, json, 'royalty');
  const defaults = defaultParams(addresses);
  const params = g.params ?? defaults;
  if (params.authority === '') params.authority = defaults.authority;
  g.params = params;
  try {
    validateParams(params, addresses);
  } catch (e) {
    fail('royalty.params', (e as Error).message);
  }
  const sums = new Map<string, [bigint, bigint]>();
  const seenAccruals = new Set<string>();
  for (const [i, a] of g.accruals.entries()) {
    const p = `royalty.accruals[${i}]`;
    address(addresses, a.recipient, `${p}.recipient`);
    const key = `${a.epoch}/${a.recipient}`;
    if (seenAccruals.has(key)) fail(p, `epoch ${a.epoch} lists ${a.recipient} twice`);
    seenAccruals.add(key);
    const s = sums.get(a.recipient) ?? [0n, 0n];
    sums.set(a.recipient, [s[0] + amount(a.paid, `${p}.paid`), s[1] + amount(a.owed, `${p}.owed`)]);
  }
  const seen = new Set<string>();
  for (const [i, e] of g.ledger.entries()) {
    const p = `royalty.ledger[${i}]`;
    address(addresses, e.recipient, `${p}.recipient`);
    if (seen.has(e.recipient)) fail(p, `${e.recipient} listed twice`);
    seen.add(e.recipient);
    const [paid, owed] = sums.get(e.recipient) ?? [0n, 0n];
    if (amount(e.paid, `${p}.paid`) !== paid || amount(e.owed, `${p}.owed`) !== owed) fail(p, `paid/owed must equal the sum of the recipient's accruals (${paid}/${owed})`);
  }
  for (const r of sums.keys()) if (!seen.has(r)) fail('royalty.ledger', `${r} has accruals but no ledger entry`);
  const roots = new Set<bigint>();
  for (const [i, r] of g.epochRoots.entries()) {
    if (roots.has(r.epoch)) fail(`royalty.epoch_roots[${i}]`, `epoch ${r.epoch} listed twice`);
    roots.add(r.epoch);
    if (r.root.length !== 32) fail(`royalty.epoch_roots[${i}].root`, 'must be 32 bytes');
  }
  const owed = new Set<bigint>();
  for (const [i, o] of g.owed.entries()) {
    if (owed.has(o.batchId)) fail(`royalty.owed[${i}]`, `batch ${o.batchId} listed twice`);
    owed.add(o.batchId);
  }
  return g;
}

export function royaltyGenesis(accounts: RoyaltyAccounts): GenesisHandlers<GenesisState> {
  return {
    defaultGenesis: () => {
      const { authority: _, ...params } = writeProtoJson(GenesisState, { params: defaultParams(new Codec('cairn')), ledger: [], accruals: [], owed: [], epochRoots: [] }).params as Record<string, unknown>;
      return { params, ledger: [], accruals: [], owed: [], epoch_roots: [] };
    },

    validate: validateRoyaltyGenesis,

    async init(g, ctx: Context) {
      await accounts.ensureModuleAccount(ctx.store, keys.TREASURY_ACCOUNT, (a) => ctx.addresses.encode(a));
      keys.params.set(ctx.store, g.params!);
      for (const e of g.ledger) keys.ledger.set(ctx.store, ctx.addresses.decode(e.recipient), e);
      for (const a of g.accruals) {
        const recipient = ctx.addresses.decode(a.recipient);
        keys.accruals.set(ctx.store, [a.epoch, recipient], a);
        keys.recipientEpochs.set(ctx.store, [recipient, a.epoch], true);
      }
      for (const o of g.owed) keys.owed.set(ctx.store, o.batchId, o);
      for (const r of g.epochRoots) keys.epochRoots.set(ctx.store, r.epoch, r);
    },

    async export(ctx: QueryContext) {
      const store = ctx.store;
      const state: GenesisState = { params: await keys.params.get(store), ledger: [], accruals: [], owed: [], epochRoots: [] };
      for await (const [, e] of keys.ledger.entries(store)) state.ledger.push(e);
      for await (const [, a] of keys.accruals.entries(store)) state.accruals.push(a);
      for await (const [, o] of keys.owed.entries(store)) state.owed.push(o);
      for await (const [, r] of keys.epochRoots.entries(store)) state.epochRoots.push(r);
      return writeProtoJson(GenesisState, state);
    },
  };
}
