// Adding a genesis validator to an app_state (Cairn's gentx): the self-bond moves from the operator's
// genesis balance into not_bonded_tokens_pool, and the validator and its self-delegation join the
// staking section as UNBONDED. InitChain then bonds the top max_validators and hands them to
// CometBFT, exactly as if each had sent MsgCreateValidator in block 0. Used by
// `cairn genesis add-validator`, `cairn init`/`dev` and the localnet.
import { toBech32 } from '@cosmjs/encoding';
import { CONSENSUS_PUBKEY_TYPE_URL } from '../../sdk/staking/messages.ts';
import { BECH32_LIMIT, decodeBech32, moduleAddress } from '../../core/framework/address.ts';
import { ONE, formatDec, parseDecJson } from '../../core/framework/dec.ts';
import { NOT_BONDED_POOL } from './keys.ts';
import { DEFAULT_PARAMS } from './params.ts';

export interface GenesisValidatorOptions {
  /** The operator's account address (cairn1…); it must hold the self-bond in genesis. */
  readonly operator: string;
  /** Base64 of the 32-byte ed25519 consensus key (priv_validator_key.json's pub_key). */
  readonly consensusPubKey: string;
  /** Self-bond in the bond denom's base unit. */
  readonly selfBond: bigint;
  readonly moniker: string;
  /** Decimals such as "0.1". Defaults: rate 0.1, max 0.2, max change 0.01. */
  readonly commission?: { readonly rate: string; readonly maxRate: string; readonly maxChangeRate: string };
  readonly minSelfDelegation?: bigint;
  readonly details?: string;
}

export class GenesisValidatorError extends Error {
  override readonly name = 'GenesisValidatorError';
}

interface JsonCoin {
  denom: string;
  amount: string;
}

type AppState = Record<string, unknown>;

export const DEFAULT_COMMISSION = { rate: '0.1', maxRate: '0.2', maxChangeRate: '0.01' } as const;

export function addGenesisValidator(appState: AppState, opts: GenesisValidatorOptions): AppState {
  const next = structuredClone(appState);
  const prefix = ((next['auth'] as { bech32_prefix?: string } | undefined)?.bech32_prefix ?? 'cairn') as string;
  const staking = (next['staking'] ??= {}) as {
    params?: { bond_denom?: string };
    validators?: Record<string, unknown>[];
    delegations?: Record<string, unknown>[];
  };
  const bank = (next['bank'] ??= {}) as { balances?: { address: string; coins: JsonCoin[] }[] };
  const denom = staking.params?.bond_denom ?? DEFAULT_PARAMS.bondDenom;

  let operatorBytes: Uint8Array;
  try {
    const decoded = decodeBech32(opts.operator);
    if (decoded.prefix !== prefix) throw new Error(`expected prefix ${prefix}, got ${decoded.prefix}`);
    operatorBytes = decoded.data;
  } catch (err) {
    throw new GenesisValidatorError(`operator ${opts.operator} is not an account address of this chain: ${(err as Error).message}`);
  }
  const valoper = toBech32(`${prefix}valoper`, operatorBytes, BECH32_LIMIT);
  const key = Buffer.from(opts.consensusPubKey, 'base64');
  if (key.length !== 32 || key.toString('base64') !== opts.consensusPubKey) {
    throw new GenesisValidatorError('the consensus key must be the base64 of a 32-byte ed25519 public key');
  }
  if (opts.selfBond <= 0n) throw new GenesisValidatorError('the self-bond must be positive');
  const minSelf = opts.minSelfDelegation ?? 1n;
  if (minSelf <= 0n || minSelf > opts.selfBond) throw new GenesisValidatorError(`min self-delegation ${minSelf} must be between 1 and the self-bond`);
  const commission = opts.commission ?? DEFAULT_COMMISSION;
  const rates = [commission.rate, commission.maxRate, commission.maxChangeRate].map((r) => {
    try {
      return parseDecJson(r);
    } catch (err) {
      throw new GenesisValidatorError(`commission: ${(err as Error).message}`);
    }
  }) as [bigint, bigint, bigint];
  if (rates[1] > ONE || rates[0] > rates[1] || rates[2] > rates[1]) {
    throw new GenesisValidatorError('commission: need rate <= max rate <= 1 and max change rate <= max rate');
  }

  const validators = (staking.validators ??= []);
  if (validators.some((v) => v['operator_address'] === valoper)) throw new GenesisValidatorError(`${opts.operator} already operates a genesis validator`);
  if (validators.some((v) => (v['consensus_pubkey'] as { key?: string } | undefined)?.key === opts.consensusPubKey)) {
    throw new GenesisValidatorError('that consensus key is already used by another genesis validator');
  }

  const balances = (bank.balances ??= []);
  const entry = balances.find((b) => b.address === opts.operator);
  const coin = entry?.coins.find((c) => c.denom === denom);
  const held = coin === undefined ? 0n : BigInt(coin.amount);
  if (held < opts.selfBond) {
    throw new GenesisValidatorError(`${opts.operator} holds ${held}${denom} in genesis, less than the self-bond ${opts.selfBond}${denom}; fund it with \`cairn genesis add-account\` first`);
  }
  coin!.amount = (held - opts.selfBond).toString();
  entry!.coins = entry!.coins.filter((c) => c.amount !== '0');
  const pool = toBech32(prefix, moduleAddress(NOT_BONDED_POOL), BECH32_LIMIT);
  let poolEntry = balances.find((b) => b.address === pool);
  if (poolEntry === undefined) {
    poolEntry = { address: pool, coins: [] };
    balances.push(poolEntry);
  }
  const poolCoin = poolEntry.coins.find((c) => c.denom === denom);
  if (poolCoin === undefined) poolEntry.coins = [...poolEntry.coins, { denom, amount: opts.selfBond.toString() }].sort((a, b) => (a.denom < b.denom ? -1 : 1));
  else poolCoin.amount = (BigInt(poolCoin.amount) + opts.selfBond).toString();

  const shares = formatDec(opts.selfBond * ONE);
  validators.push({
    operator_address: valoper,
    consensus_pubkey: { '@type': CONSENSUS_PUBKEY_TYPE_URL, key: opts.consensusPubKey },
    jailed: false,
    status: 'BOND_STATUS_UNBONDED',
    tokens: opts.selfBond.toString(),
    delegator_shares: shares,
    description: { moniker: opts.moniker, identity: '', website: '', security_contact: '', details: opts.details ?? '' },
    unbonding_height: '0',
    unbonding_time: '1970-01-01T00:00:00.000Z',
    commission: {
      commission_rates: { rate: formatDec(rates[0]), max_rate: formatDec(rates[1]), max_change_rate: formatDec(rates[2]) },
      update_time: '1970-01-01T00:00:00.000Z',
    },
    min_self_delegation: minSelf.toString(),
  });
  (staking.delegations ??= []).push({ delegator_address: opts.operator, validator_address: valoper, shares });
  return next;
}

/** The operator (valoper) address of an account address. */
export function valoperOf(account: string): string {
  const { prefix, data } = decodeBech32(account);
  return toBech32(`${prefix}valoper`, data, BECH32_LIMIT);
}
