// The one route table of the node's API surfaces: every REST/LCD route (the Cosmos SDK's
// gRPC-gateway paths, then Cairn's own), the gRPC services (node/api/grpc.ts) and the OpenAPI
// document (node/api/openapi.ts) are generated from it. A route names its query path
// ("/<service>/<method>", answered by the app's ABCI query router or, for the tx and tendermint
// services, by the node from CometBFT's RPC: node/api/node-services.ts) and the generated request
// and response types, found by the protobuf naming convention in the service's generated module.
import * as authQ from 'cosmjs-types/cosmos/auth/v1beta1/query';
import * as bankQ from 'cosmjs-types/cosmos/bank/v1beta1/query';
import * as tmQ from 'cosmjs-types/cosmos/base/tendermint/v1beta1/query';
import * as authzQ from 'cosmjs-types/cosmos/authz/v1beta1/query';
import * as feegrantQ from 'cosmjs-types/cosmos/feegrant/v1beta1/query';
import * as distQ from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import * as mintQ from 'cosmjs-types/cosmos/mint/v1beta1/query';
import * as slashQ from 'cosmjs-types/cosmos/slashing/v1beta1/query';
import * as stakingQ from 'cosmjs-types/cosmos/staking/v1beta1/query';
import * as txS from 'cosmjs-types/cosmos/tx/v1beta1/service';
import * as consensusQ from 'cosmjs-types/cosmos/consensus/v1/query';
import * as upgradeQ from 'cosmjs-types/cosmos/upgrade/v1beta1/query';
import * as govQ from 'cosmjs-types/cosmos/gov/v1/query';
import * as govLegacyQ from 'cosmjs-types/cosmos/gov/v1beta1/query';
import * as emissionQ from '../../proto/gen/cairn/emission/v1/query.ts';
import * as receiptsQ from '../../proto/gen/cairn/receipts/v1/query.ts';
import * as registryQ from '../../proto/gen/cairn/registry/v1/query.ts';
import * as royaltyQ from '../../proto/gen/cairn/royalty/v1/query.ts';
import { EMISSION_QUERY_METHODS } from '../../sdk/emission/queries.ts';
import { RECEIPTS_QUERY_METHODS } from '../../sdk/receipts/queries.ts';
import { REGISTRY_QUERY_METHODS } from '../../sdk/registry/queries.ts';
import { ROYALTY_QUERY_METHODS } from '../../sdk/royalty/queries.ts';

/** What the surfaces need of a generated message type (cosmjs-types and ts-proto both have it). */
export interface ProtoType<T = unknown> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
  fromJSON(object: unknown): T;
  toJSON(message: T): unknown;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  /** REST path template, `{field}` segments filled into the request's snake_case field. */
  readonly path: string;
  /** "/cosmos.bank.v1beta1.Query/AllBalances" */
  readonly query: string;
  readonly service: string;
  readonly rpc: string;
  readonly request: ProtoType;
  readonly response: ProtoType;
  /** Full protobuf names, e.g. "cosmos.bank.v1beta1.QueryAllBalancesRequest". */
  readonly requestName: string;
  readonly responseName: string;
}

type Generated = Record<string, unknown>;

function typeOf(generated: Generated, method: string, kind: 'Request' | 'Response', service: string): { type: ProtoType; name: string } {
  const name = [`Query${method}${kind}`, `${method}${kind}`].find((n) => generated[n] !== undefined);
  if (name === undefined) throw new Error(`no ${kind} type for ${service}/${method}`);
  return { type: generated[name] as ProtoType, name: `${service.slice(0, service.lastIndexOf('.'))}.${name}` };
}

function routes(service: string, generated: Generated, table: readonly (readonly [method: string, path: string, verb?: 'POST'])[]): Route[] {
  return table.map(([rpc, path, verb]) => {
    const request = typeOf(generated, rpc, 'Request', service);
    const response = typeOf(generated, rpc, 'Response', service);
    return { method: verb ?? 'GET', path, query: `/${service}/${rpc}`, service, rpc, request: request.type, response: response.type, requestName: request.name, responseName: response.name };
  });
}

const snake = (s: string): string => s.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? '' : '_'}${c.toLowerCase()}`);

/** Cairn's services have no gateway annotations: GET /cairn/<module>/v1/<method_in_snake_case>, fields in the query string. */
function cairnRoutes(module: string, generated: Generated, methods: readonly string[]): Route[] {
  return routes(`cairn.${module}.v1.Query`, generated, methods.map((m) => [m, `/cairn/${module}/v1/${snake(m)}`] as const));
}

/** The gov service's gateway paths, the same in v1 and v1beta1. */
function govRoutes(version: string): [string, string][] {
  const G = `/cosmos/gov/${version}`;
  return [
    ['Proposal', `${G}/proposals/{proposal_id}`],
    ['Proposals', `${G}/proposals`],
    ['Vote', `${G}/proposals/{proposal_id}/votes/{voter}`],
    ['Votes', `${G}/proposals/{proposal_id}/votes`],
    ['Params', `${G}/params/{params_type}`],
    ['Deposit', `${G}/proposals/{proposal_id}/deposits/{depositor}`],
    ['Deposits', `${G}/proposals/{proposal_id}/deposits`],
    ['TallyResult', `${G}/proposals/{proposal_id}/tally`],
  ];
}

const A = '/cosmos/auth/v1beta1';
const B = '/cosmos/bank/v1beta1';
const D = '/cosmos/distribution/v1beta1';
const M = '/cosmos/mint/v1beta1';
const SL = '/cosmos/slashing/v1beta1';
const S = '/cosmos/staking/v1beta1';
const T = '/cosmos/base/tendermint/v1beta1';
const TX = '/cosmos/tx/v1beta1';

/** Every route, in the order they are matched (a literal segment before a `{field}` one at the same depth). */
export const ROUTES: readonly Route[] = [
  ...routes('cosmos.auth.v1beta1.Query', authQ, [
    ['Account', `${A}/accounts/{address}`],
    ['AccountInfo', `${A}/account_info/{address}`],
    ['Bech32Prefix', `${A}/bech32`],
    ['ModuleAccountByName', `${A}/module_accounts/{name}`],
    ['Params', `${A}/params`],
  ]),
  ...routes('cosmos.bank.v1beta1.Query', bankQ, [
    ['Balance', `${B}/balances/{address}/by_denom`],
    ['AllBalances', `${B}/balances/{address}`],
    ['SpendableBalances', `${B}/spendable_balances/{address}`],
    ['SupplyOf', `${B}/supply/by_denom`],
    ['TotalSupply', `${B}/supply`],
    ['Params', `${B}/params`],
    ['DenomMetadata', `${B}/denoms_metadata/{denom}`],
    ['DenomsMetadata', `${B}/denoms_metadata`],
  ]),
  ...routes('cosmos.distribution.v1beta1.Query', distQ, [
    ['Params', `${D}/params`],
    ['ValidatorDistributionInfo', `${D}/validators/{validator_address}`],
    ['ValidatorOutstandingRewards', `${D}/validators/{validator_address}/outstanding_rewards`],
    ['ValidatorCommission', `${D}/validators/{validator_address}/commission`],
    ['ValidatorSlashes', `${D}/validators/{validator_address}/slashes`],
    ['DelegationRewards', `${D}/delegators/{delegator_address}/rewards/{validator_address}`],
    ['DelegationTotalRewards', `${D}/delegators/{delegator_address}/rewards`],
    ['DelegatorValidators', `${D}/delegators/{delegator_address}/validators`],
    ['DelegatorWithdrawAddress', `${D}/delegators/{delegator_address}/withdraw_address`],
    ['CommunityPool', `${D}/community_pool`],
  ]),
  ...routes('cosmos.mint.v1beta1.Query', mintQ, [
    ['Params', `${M}/params`],
    ['Inflation', `${M}/inflation`],
    ['AnnualProvisions', `${M}/annual_provisions`],
  ]),
  ...routes('cosmos.slashing.v1beta1.Query', slashQ, [
    ['Params', `${SL}/params`],
    ['SigningInfo', `${SL}/signing_infos/{cons_address}`],
    ['SigningInfos', `${SL}/signing_infos`],
  ]),
  ...routes('cosmos.staking.v1beta1.Query', stakingQ, [
    ['Validators', `${S}/validators`],
    ['Validator', `${S}/validators/{validator_addr}`],
    ['ValidatorDelegations', `${S}/validators/{validator_addr}/delegations`],
    ['Delegation', `${S}/validators/{validator_addr}/delegations/{delegator_addr}`],
    ['UnbondingDelegation', `${S}/validators/{validator_addr}/delegations/{delegator_addr}/unbonding_delegation`],
    ['ValidatorUnbondingDelegations', `${S}/validators/{validator_addr}/unbonding_delegations`],
    ['DelegatorDelegations', `${S}/delegations/{delegator_addr}`],
    ['Redelegations', `${S}/delegators/{delegator_addr}/redelegations`],
    ['DelegatorUnbondingDelegations', `${S}/delegators/{delegator_addr}/unbonding_delegations`],
    ['DelegatorValidators', `${S}/delegators/{delegator_addr}/validators`],
    ['DelegatorValidator', `${S}/delegators/{delegator_addr}/validators/{validator_addr}`],
    ['HistoricalInfo', `${S}/historical_info/{height}`],
    ['Pool', `${S}/pool`],
    ['Params', `${S}/params`],
  ]),
  ...routes('cosmos.gov.v1.Query', govQ, [
    ['Constitution', '/cosmos/gov/v1/constitution'],
    ...govRoutes('v1'),
  ]),
  ...routes('cosmos.gov.v1beta1.Query', govLegacyQ, govRoutes('v1beta1')),
  ...routes('cosmos.upgrade.v1beta1.Query', upgradeQ, [
    ['CurrentPlan', '/cosmos/upgrade/v1beta1/current_plan'],
    ['AppliedPlan', '/cosmos/upgrade/v1beta1/applied_plan/{name}'],
    ['ModuleVersions', '/cosmos/upgrade/v1beta1/module_versions'],
    ['Authority', '/cosmos/upgrade/v1beta1/authority'],
  ]),
  ...routes('cosmos.feegrant.v1beta1.Query', feegrantQ, [
    ['Allowance', '/cosmos/feegrant/v1beta1/allowance/{granter}/{grantee}'],
    ['Allowances', '/cosmos/feegrant/v1beta1/allowances/{grantee}'],
    ['AllowancesByGranter', '/cosmos/feegrant/v1beta1/issued/{granter}'],
  ]),
  ...routes('cosmos.authz.v1beta1.Query', authzQ, [
    ['Grants', '/cosmos/authz/v1beta1/grants'],
    ['GranterGrants', '/cosmos/authz/v1beta1/grants/granter/{granter}'],
    ['GranteeGrants', '/cosmos/authz/v1beta1/grants/grantee/{grantee}'],
  ]),
  ...routes('cosmos.consensus.v1.Query', consensusQ, [['Params', '/cosmos/consensus/v1/params']]),
  ...routes('cosmos.tx.v1beta1.Service', txS, [
    ['Simulate', `${TX}/simulate`, 'POST'],
    ['BroadcastTx', `${TX}/txs`, 'POST'],
    ['GetTx', `${TX}/txs/{hash}`],
    ['GetTxsEvent', `${TX}/txs`],
  ]),
  ...routes('cosmos.base.tendermint.v1beta1.Service', tmQ, [
    ['GetNodeInfo', `${T}/node_info`],
    ['GetSyncing', `${T}/syncing`],
    ['GetLatestBlock', `${T}/blocks/latest`],
    ['GetBlockByHeight', `${T}/blocks/{height}`],
    ['GetLatestValidatorSet', `${T}/validatorsets/latest`],
    ['GetValidatorSetByHeight', `${T}/validatorsets/{height}`],
    ['ABCIQuery', `${T}/abci_query`],
  ]),
  ...cairnRoutes('registry', registryQ, REGISTRY_QUERY_METHODS),
  ...cairnRoutes('receipts', receiptsQ, RECEIPTS_QUERY_METHODS),
  ...cairnRoutes('royalty', royaltyQ, ROYALTY_QUERY_METHODS),
  ...cairnRoutes('emission', emissionQ, EMISSION_QUERY_METHODS),
];

/** Services the node answers itself (from CometBFT's RPC), not the app's query router. */
export const NODE_SERVICES: ReadonlySet<string> = new Set(['cosmos.tx.v1beta1.Service', 'cosmos.base.tendermint.v1beta1.Service']);

export function routeByQuery(query: string): Route | undefined {
  return byQuery.get(query);
}
const byQuery = new Map(ROUTES.map((r) => [r.query, r]));

/** The route a REST request names, with its path fields (snake_case → value), or undefined. */
export function matchRoute(method: string, path: string): { route: Route; fields: Record<string, string> } | { methodNotAllowed: true } | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  let pathMatched = false;
  let best: { route: Route; fields: Record<string, string>; literals: number } | undefined;
  for (const route of ROUTES) {
    const tpl = route.path.split('/').filter((p) => p !== '');
    if (tpl.length !== parts.length) continue;
    const fields: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < tpl.length && ok; i++) {
      const t = tpl[i]!;
      if (t.startsWith('{')) {
        try {
          fields[t.slice(1, -1)] = decodeURIComponent(parts[i]!);
        } catch {
          ok = false;
        }
      } else if (t === parts[i]) literals++;
      else ok = false;
    }
    if (!ok) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    if (best === undefined || literals > best.literals) best = { route, fields, literals };
  }
  if (best !== undefined) return { route: best.route, fields: best.fields };
  return pathMatched ? { methodNotAllowed: true } : undefined;
}
