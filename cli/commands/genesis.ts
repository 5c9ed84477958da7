// `cairn genesis add-account <address|key> <coins>`, `cairn genesis add-validator <address|key> <coins>`
// `cairn genesis validate [file]` and `cairn genesis export [--height H]`.
import { toBech32 } from '@cosmjs/encoding';
import { BECH32_LIMIT, decodeBech32 } from '../../core/framework/address.ts';
import { DEFAULT_PARAMS as DEFAULT_STAKING_PARAMS } from '../../modules/staking/params.ts';
import { type GenesisCheckOptions, type GenesisVesting, addGenesisAccount, addGenesisVestingAccount, checkGenesis, checkGenesisFile, genesisPrefix } from '../../node/genesis.ts';
import { DEFAULT_COMMISSION, addGenesisValidator } from '../../modules/staking/genesis-builder.ts';
import { readValidatorKey } from '../../node/cometbft/keys.ts';
import { stringFlag } from '../context.ts';
import { type GenesisDoc, genesisPath, readGenesis, serializeGenesis, writeGenesis } from '../../node/cometbft/genesis.ts';
import { exportGenesis } from '../../node/export.ts';
import { VersionUnavailableError } from '../../core/store/errors.ts';
import { writeFile } from 'node:fs/promises';
import { parseCoins } from '../amount.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';

async function addAccount(ctx: CommandContext): Promise<void> {
  const [who, coinsText] = [ctx.args[1], ctx.args[2]];
  if (who === undefined || coinsText === undefined) throw new UsageError('usage: cairn genesis add-account <address|key-name> <coins, e.g. 1000000ucairn>');
  const coins = parseCoins(coinsText).map((c) => ({ denom: c.denom, amount: c.amount }));
  const vesting = vestingFlags(ctx);
  const doc = await readGenesisOrExplain(ctx.global.home);
  const address = await accountOf(ctx, who, genesisPrefix(doc));
  const state = (doc.app_state ?? {}) as Record<string, unknown>;
  let appState: Record<string, unknown>;
  try {
    appState = vesting === undefined ? addGenesisAccount(state, address, coins) : addGenesisVestingAccount(state, address, coins, vesting);
  } catch (err) {
    throw new CliError(`cannot add the account: ${(err as Error).message}`);
  }
  // Before add-validator the genesis may have no validator yet; everything else must already hold.
  await checkOrExplain({ ...doc, app_state: appState }, 'cannot add the account', { allowNoValidators: true });
  await writeGenesis(ctx.global.home, { ...doc, app_state: appState });
  ctx.print({ json: { address, coins: coinsText }, text: `added ${coinsText} to ${address} in ${genesisPath(ctx.global.home)}` });
}

/**
 * simd's add-genesis-account vesting flags: --vesting-amount with --vesting-end-time makes a delayed
 * vesting account, or a continuous one from --vesting-start-time.
 */
function vestingFlags(ctx: CommandContext): GenesisVesting | undefined {
  const amount = stringFlag(ctx, 'vesting-amount');
  const start = stringFlag(ctx, 'vesting-start-time');
  const end = stringFlag(ctx, 'vesting-end-time');
  if (amount === undefined) {
    if (start !== undefined || end !== undefined) throw new UsageError('--vesting-start-time and --vesting-end-time need --vesting-amount');
    return undefined;
  }
  if (end === undefined) throw new UsageError('--vesting-amount needs --vesting-end-time (unix seconds)');
  const seconds = (text: string, flag: string): bigint => {
    if (!/^[0-9]+$/.test(text)) throw new UsageError(`${flag} must be a unix time in seconds, got ${text}`);
    return BigInt(text);
  };
  const coins = parseCoins(amount).map((c) => ({ denom: c.denom, amount: c.amount }));
  return start === undefined
    ? { type: 'delayed', amount: coins, end: seconds(end, '--vesting-end-time') }
    : { type: 'continuous', amount: coins, start: seconds(start, '--vesting-start-time'), end: seconds(end, '--vesting-end-time') };
}

// Cairn's gentx: bonds an operator's genesis balance to this home's consensus key (or --pubkey).
async function addValidator(ctx: CommandContext): Promise<void> {
  const [who, coinsText] = [ctx.args[1], ctx.args[2]];
  if (who === undefined || coinsText === undefined) throw new UsageError('usage: cairn genesis add-validator <address|key-name> <self-bond, e.g. 100000000ucairn>');
  const coins = parseCoins(coinsText);
  const doc = await readGenesisOrExplain(ctx.global.home);
  const bondDenom = genesisBondDenom(doc);
  if (coins.length !== 1 || coins[0]!.denom !== bondDenom) throw new UsageError(`the self-bond is one amount of the genesis bond denom ${bondDenom}, got ${coinsText}`);
  const address = await accountOf(ctx, who, genesisPrefix(doc));
  const pubkey = stringFlag(ctx, 'pubkey') ?? (await readValidatorKey(ctx.global.home)).pubKey;
  const min = stringFlag(ctx, 'min-self-delegation');
  let appState: Record<string, unknown>;
  try {
    appState = addGenesisValidator((doc.app_state ?? {}) as Record<string, unknown>, {
      operator: address,
      consensusPubKey: pubkey,
      selfBond: coins[0]!.amount,
      moniker: stringFlag(ctx, 'moniker') ?? who,
      commission: {
        rate: stringFlag(ctx, 'commission-rate') ?? DEFAULT_COMMISSION.rate,
        maxRate: stringFlag(ctx, 'commission-max-rate') ?? DEFAULT_COMMISSION.maxRate,
        maxChangeRate: stringFlag(ctx, 'commission-max-change-rate') ?? DEFAULT_COMMISSION.maxChangeRate,
      },
      ...(min === undefined ? {} : { minSelfDelegation: BigInt(min) }),
    });
  } catch (err) {
    throw new CliError(`cannot add the validator: ${(err as Error).message}`);
  }
  await checkOrExplain({ ...doc, app_state: appState }, 'cannot add the validator');
  await writeGenesis(ctx.global.home, { ...doc, app_state: appState });
  ctx.print({ json: { operator: address, consensus_pubkey: pubkey, self_bond: coinsText }, text: `${address} bonds ${coinsText} to consensus key ${pubkey} in ${genesisPath(ctx.global.home)}` });
}

async function validate(ctx: CommandContext): Promise<void> {
  const file = ctx.args[1] ?? genesisPath(ctx.global.home);
  let checked: Awaited<ReturnType<typeof checkGenesisFile>>;
  try {
    checked = await checkGenesisFile(file);
  } catch (err) {
    throw new CliError((err as Error).message, { cause: err });
  }
  const { doc, validators } = checked;
  const count = `${validators.length} validator${validators.length === 1 ? '' : 's'}`;
  ctx.print({ json: { file, valid: true, chain_id: doc.chain_id, validators: validators.length }, text: `${file} is a valid genesis for chain ${doc.chain_id} (${count})` });
}

// The state at a committed height as a new chain's genesis (the node must be stopped).
async function exportState(ctx: CommandContext): Promise<void> {
  const heightText = stringFlag(ctx, 'height');
  if (heightText !== undefined && !/^[1-9][0-9]*$/.test(heightText)) throw new UsageError(`--height must be a positive block height, got ${heightText}`);
  const height = heightText === undefined ? undefined : BigInt(heightText);
  let doc: GenesisDoc;
  try {
    ctx.note(`exporting the state of ${ctx.global.home}${height === undefined ? ' at its last committed height' : ` at height ${height}`}…`);
    doc = await exportGenesis(ctx.global.home, height);
  } catch (err) {
    if (err instanceof VersionUnavailableError) {
      throw new CliError(`height ${height} was pruned from ${ctx.global.home}: export a more recent height, or keep more heights ([pruning] in app.toml)`, { cause: err });
    }
    throw new CliError(`cannot export: ${(err as Error).message}`, { cause: err });
  }
  await checkOrExplain(doc, 'the exported state does not make a valid genesis');
  const output = stringFlag(ctx, 'output-document');
  if (output === undefined) {
    ctx.io.stdout.write(serializeGenesis(doc));
    return;
  }
  await writeFile(output, serializeGenesis(doc));
  ctx.note(`wrote ${output}: chain ${doc.chain_id} from height ${doc.initial_height}`);
}

/** The check `validate` runs, on a genesis about to be written; nothing is written when it fails. */
async function checkOrExplain(doc: GenesisDoc, what: string, opts: GenesisCheckOptions = {}): Promise<void> {
  try {
    await checkGenesis(doc, opts);
  } catch (err) {
    throw new CliError(`${what}: the genesis would not be valid: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * An address argument must carry the genesis's prefix; a key name is the key's address written with
 * that prefix (the keyring shows cairn1… addresses, the same key on a chain of another prefix).
 */
async function accountOf(ctx: CommandContext, who: string, prefix: string): Promise<string> {
  let decoded: { prefix: string; data: Uint8Array } | undefined;
  try {
    decoded = decodeBech32(who);
  } catch {
    decoded = undefined;
  }
  if (decoded !== undefined) {
    if (decoded.prefix !== prefix) throw new UsageError(`${who} has prefix '${decoded.prefix}', but this genesis's accounts start with ${prefix}1 (auth.bech32_prefix)`);
    return who;
  }
  return toBech32(prefix, decodeBech32((await (await ctx.keyring()).show(who)).address).data, BECH32_LIMIT);
}

/** staking.params.bond_denom of a genesis (the staking default when it has none). */
function genesisBondDenom(doc: GenesisDoc): string {
  const staking = (doc.app_state as { staking?: { params?: { bond_denom?: unknown } } } | undefined)?.staking;
  return typeof staking?.params?.bond_denom === 'string' ? staking.params.bond_denom : DEFAULT_STAKING_PARAMS.bondDenom;
}

async function readGenesisOrExplain(home: string): Promise<GenesisDoc> {
  try {
    return await readGenesis(home);
  } catch (err) {
    throw new CliError(`cannot read the genesis of ${home}: ${(err as Error).message}. Run \`cairn init --home ${home} --chain-id <id>\` first.`);
  }
}

const command: CommandModule = {
  description:
    'Edit and check genesis.json.\n  add-account <address|key-name> <coins>     fund an account at genesis\n' +
    '  add-validator <address|key-name> <coins>   bond a funded account to this node\'s consensus key (a genesis validator), in the bond denom\n' +
    '  (a key name is written with the genesis\'s address prefix)\n' +
    '  validate [file]                            check a genesis file (default: the home\'s) with a dry-run InitChain\n' +
    '  export [--height H] [--output-document F] the state at a committed height as a new chain\'s genesis (stop the node first)',
  args: [
    { name: 'subcommand', description: 'add-account | add-validator | validate | export' },
    { name: 'arg1', description: 'address or key name (add-account, add-validator) / file (validate)', optional: true },
    { name: 'arg2', description: 'coins (add-account) / self-bond (add-validator)', optional: true },
  ],
  options: {
    moniker: { type: 'string', valueName: 'name', description: 'add-validator: the validator\'s name (default: the key name)' },
    pubkey: { type: 'string', valueName: 'base64', description: 'add-validator: ed25519 consensus key (default: this home\'s priv_validator_key.json)' },
    'commission-rate': { type: 'string', valueName: 'dec', description: `add-validator: commission, e.g. 0.1 (default ${DEFAULT_COMMISSION.rate})` },
    'commission-max-rate': { type: 'string', valueName: 'dec', description: `add-validator: the most it may ever be (default ${DEFAULT_COMMISSION.maxRate})` },
    'commission-max-change-rate': { type: 'string', valueName: 'dec', description: `add-validator: the most it may change per day (default ${DEFAULT_COMMISSION.maxChangeRate})` },
    height: { type: 'string', valueName: 'H', description: 'export: the committed height to export (default: the last one)' },
    'output-document': { type: 'string', valueName: 'file', description: 'export: write the genesis here instead of stdout' },
    'vesting-amount': { type: 'string', valueName: 'coins', description: 'add-account: the part of the coins that vests (a vesting account, as simd\'s flags)' },
    'vesting-start-time': { type: 'string', valueName: 'unix', description: 'add-account: vests continuously from this time (without it: all at the end time)' },
    'vesting-end-time': { type: 'string', valueName: 'unix', description: 'add-account: the time everything has vested' },
    'min-self-delegation': { type: 'string', valueName: 'amount', description: 'add-validator: jailed if the self-bond falls below this (default 1)' },
  },
  examples: [
    'cairn genesis add-account alice 1000000000ucairn --home ~/.cairn',
    'cairn genesis add-account team 500000000ucairn --vesting-amount 400000000ucairn --vesting-start-time 1767225600 --vesting-end-time 1893456000',
    'cairn genesis add-validator alice 100000000ucairn --moniker my-node --home ~/.cairn',
    'cairn genesis validate ~/.cairn/config/genesis.json',
    'cairn genesis export --height 1200 --output-document exported.json --home ~/.cairn',
  ],
  async run(ctx: CommandContext) {
    switch (ctx.args[0]) {
      case 'add-account':
        return addAccount(ctx);
      case 'add-validator':
        return addValidator(ctx);
      case 'validate':
        return validate(ctx);
      case 'export':
        return exportState(ctx);
      default:
        throw new UsageError(`unknown genesis subcommand "${ctx.args[0] ?? ''}": use add-account, add-validator, validate or export`);
    }
  },
};

export const { run, args, options, description, examples } = command;
