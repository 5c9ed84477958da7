// slashing genesis: params (SPEC §2 names, in basis points), signing records, missed-block bits, and
// (Cairn's addition) the evidence already handled, so an exported chain never punishes twice.
import type { ValidatorSigningInfo } from 'cosmjs-types/cosmos/slashing/v1beta1/slashing';
import type { Context, QueryContext } from '../../core/framework/context.ts';
import { GenesisError, array, at, object, optional, string, uint } from '../../core/framework/json.ts';
import type { GenesisHandlers } from '../../core/framework/module.ts';
import { msToTimestamp, timeToJson } from '../../core/framework/time.ts';
import { consAddressOf, isBonded } from '../staking/api.ts';
import { type SlashingKeeper, consAddressText, newSigningInfo } from './keeper.ts';
import * as keys from './keys.ts';
import { DEFAULT_PARAMS, type SlashingParams, paramsToJson, readParams, toProtoParams } from './params.ts';

export interface SlashingGenesis {
  readonly params: SlashingParams;
  readonly signingInfos: readonly ValidatorSigningInfo[];
  readonly missed: readonly { address: string; indexes: bigint[] }[];
  readonly processed: readonly { height: bigint; hash: Uint8Array }[];
}

export function slashingGenesis(k: SlashingKeeper): GenesisHandlers<SlashingGenesis> {
  return {
    defaultGenesis: () => ({ params: paramsToJson(DEFAULT_PARAMS), signing_infos: [], missed_blocks: [] }),

    validate(json, addresses) {
      const g = object(json, 'slashing');
      const valcons = `${addresses.prefix}valcons`;
      const consAddress = (v: unknown, path: string): string => {
        const a = string(v, path);
        at(path, () => addresses.decode(a, valcons));
        return a;
      };
      const signingInfos = array(g['signing_infos'], 'slashing.signing_infos').map((raw, i) => {
        const path = `slashing.signing_infos[${i}]`;
        const o = object(raw, path);
        const address = consAddress(o['address'], `${path}.address`);
        const s = object(o['validator_signing_info'], `${path}.validator_signing_info`);
        const p = `${path}.validator_signing_info`;
        const jailed = string(s['jailed_until'] ?? '1970-01-01T00:00:00Z', `${p}.jailed_until`);
        if (Number.isNaN(Date.parse(jailed))) throw new GenesisError(`${p}.jailed_until: "${jailed}" is not an RFC 3339 time`);
        return {
          address,
          startHeight: optional(s['start_height'], 0n, (v) => uint(v, `${p}.start_height`)),
          indexOffset: optional(s['index_offset'], 0n, (v) => uint(v, `${p}.index_offset`)),
          jailedUntil: msToTimestamp(BigInt(Date.parse(jailed))),
          tombstoned: s['tombstoned'] === true,
          missedBlocksCounter: optional(s['missed_blocks_counter'], 0n, (v) => uint(v, `${p}.missed_blocks_counter`)),
        };
      });
      const missed = array(g['missed_blocks'], 'slashing.missed_blocks').map((raw, i) => {
        const path = `slashing.missed_blocks[${i}]`;
        const o = object(raw, path);
        return {
          address: consAddress(o['address'], `${path}.address`),
          indexes: array(o['missed_blocks'], `${path}.missed_blocks`).map((m, j) => uint(object(m, `${path}.missed_blocks[${j}]`)['index'], `${path}.missed_blocks[${j}].index`)),
        };
      });
      const processed = array(g['processed_evidence'], 'slashing.processed_evidence').map((raw, i) => {
        const path = `slashing.processed_evidence[${i}]`;
        const o = object(raw, path);
        const hash = Buffer.from(string(o['hash'], `${path}.hash`), 'hex');
        if (hash.length !== 32) throw new GenesisError(`${path}.hash: expected 32 bytes of hex`);
        return { height: uint(o['height'], `${path}.height`), hash: new Uint8Array(hash) };
      });
      return { params: readParams(g['params'] ?? {}), signingInfos, missed, processed };
    },

    async init(genesis, ctx: Context) {
      const valcons = `${ctx.addresses.prefix}valcons`;
      keys.params.set(ctx.store, toProtoParams(genesis.params));
      keys.maxEvidenceAge.set(ctx.store, genesis.params.maxEvidenceAgeBlocks);
      for (const info of genesis.signingInfos) keys.signingInfos.set(ctx.store, ctx.addresses.decode(info.address, valcons), info);
      for (const m of genesis.missed) for (const i of m.indexes) keys.missedBlocks.set(ctx.store, [ctx.addresses.decode(m.address, valcons), i], true);
      for (const p of genesis.processed) keys.processedEvidence.set(ctx.store, [p.height, p.hash], true);
      // Bonded validators without a record (an imported set) start one now.
      const bonded: Uint8Array[] = [];
      for await (const v of k.staking.allValidators(ctx.store)) if (isBonded(v)) bonded.push(consAddressOf(v));
      for (const consAddr of bonded) {
        if ((await keys.signingInfos.get(ctx.store, consAddr)) === undefined) keys.signingInfos.set(ctx.store, consAddr, newSigningInfo(consAddressText(ctx, consAddr), ctx.block.height));
      }
    },

    async export(ctx: QueryContext) {
      const signing: unknown[] = [];
      for await (const [, info] of keys.signingInfos.entries(ctx.store)) {
        signing.push({
          address: info.address,
          validator_signing_info: {
            address: info.address,
            start_height: info.startHeight.toString(),
            index_offset: info.indexOffset.toString(),
            jailed_until: timeToJson(info.jailedUntil),
            tombstoned: info.tombstoned,
            missed_blocks_counter: info.missedBlocksCounter.toString(),
          },
        });
      }
      const missed = new Map<string, unknown[]>();
      for await (const [[consAddr, index]] of keys.missedBlocks.entries(ctx.store)) {
        const address = consAddressText(ctx, consAddr);
        missed.set(address, [...(missed.get(address) ?? []), { index: index.toString(), missed: true }]);
      }
      const processed: unknown[] = [];
      for await (const [[height, hash]] of keys.processedEvidence.entries(ctx.store)) processed.push({ height: height.toString(), hash: Buffer.from(hash).toString('hex') });
      return {
        params: paramsToJson(await k.params(ctx.store)),
        signing_infos: signing,
        missed_blocks: [...missed.entries()].map(([address, list]) => ({ address, missed_blocks: list })),
        processed_evidence: processed,
      };
    },
  };
}


