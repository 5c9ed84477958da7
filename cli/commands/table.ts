// The command tree of `cairn`. Each command is loaded only when it runs, so `cairn --help` does
// not pay for CosmJS. Built-in commands declare their arguments and flags here; the node commands
// (init, start, genesis, dev) are written elsewhere and declare theirs in their own modules.
import { fileURLToPath } from 'node:url';
import type { CommandModule, OptionSpecs } from '../context.ts';
import { CliError } from '../errors.ts';
import type { CommandGroup, CommandNode, CommandSpec } from './spec.ts';
import { registryQueryCommands, registryTxCommands } from './registry/commands.ts';
import { stakingQueryCommands, stakingTxCommands } from './staking/commands.ts';
import { distributionQueryCommands, distributionTxCommands } from './distribution/commands.ts';
import { slashingQueryCommands, slashingTxCommands } from './slashing/commands.ts';
import { govQueryCommands, govTxCommands } from './gov/commands.ts';
import { receiptsCommands, receiptsQueryCommands, receiptsTxCommands } from './receipts/commands.ts';
import { emissionQueryCommands, emissionTxCommands } from './emission/commands.ts';
import { consensusQueryCommands, upgradeQueryCommands } from './upgrade/commands.ts';


const feeOptions: OptionSpecs = {
  fees: { type: 'string', valueName: 'coins', description: 'fee to pay, e.g. 5000ucairn (not with --gas-prices)' },
  gas: { type: 'string', valueName: 'limit|auto', description: 'gas limit, or auto to simulate first (default 200000)' },
  'gas-prices': { type: 'string', valueName: 'price', description: 'fee = gas limit × price, e.g. 0.025ucairn' },
  'gas-adjustment': { type: 'string', valueName: 'factor', description: 'multiplier on the simulated gas with --gas auto (default 1.4)' },
  memo: { type: 'string', valueName: 'text', description: 'memo to attach to the transaction' },
  'timeout-height': { type: 'string', valueName: 'height', description: 'reject the transaction if not included by this block height' },
  'broadcast-timeout': { type: 'string', valueName: 'seconds', description: 'how long to wait for inclusion in a block (default 60)' },
};

const verifierKeyOption: OptionSpecs = {
  key: { type: 'string', valueName: 'file', description: 'the verifier key seed (`cairn verifier keygen`); its public key must be in the registry’s trusted_verifiers' },
  dev: { type: 'boolean', description: 'sign with the public dev verifier key that `cairn dev` and localnets trust (never on a chain of value)' },
  operator: { type: 'string', valueName: 'address', description: 'the operator the signature is for, cairn1…' },
};
/** `cairn operator serve` (cli/commands/operator.ts). */
const operatorServeOptions: OptionSpecs = {
  upstream: { type: 'string', valueName: 'url', description: 'the inference server’s OpenAI base URL, e.g. http://127.0.0.1:8000/v1 (vLLM), http://127.0.0.1:8080/v1 (llama.cpp), http://127.0.0.1:11434/v1 (Ollama)' },
  'upstream-api-key': { type: 'string', valueName: 'key', description: 'sent to the upstream as a bearer token, if it wants one' },
  key: { type: 'string', valueName: 'name', description: 'the operator account’s key in the keyring: pays fees, submits batches and reveals' },
  'receipt-key': { type: 'string', valueName: 'file', description: 'the registered receipt key seed (`cairn receipts keygen`): signs receipts and gossip' },
  listen: { type: 'string', valueName: 'host:port', description: 'where the gateway listens (default 127.0.0.1:8480)' },
  'model-map': { type: 'string', multiple: true, valueName: 'offer=upstream', description: 'the upstream’s name for an on-chain offer, e.g. acme/llama-3.1-8b=meta-llama/Llama-3.1-8B-Instruct (repeatable)' },
  'credit-limit': { type: 'string', valueName: 'coin', description: 'most a payer may owe in receipts it has not co-signed (default 10000000ucairn)' },
  'batch-size': { type: 'string', valueName: 'n', description: 'cut a batch at this many co-signed receipts (default 1000)' },
  'batch-age': { type: 'string', valueName: 'seconds', description: 'or when its oldest receipt is this old (default 60)' },
  peer: { type: 'string', multiple: true, valueName: 'multiaddr', description: 'a node’s libp2p address with /p2p/<peer id> to gossip batches to (repeatable)' },
  data: { type: 'string', valueName: 'dir', description: 'the gateway’s LevelDB (default <home>/data/operator-gateway)' },
  'gas-prices': { type: 'string', valueName: 'price', description: 'what its transactions pay per gas (default 0.025ucairn)' },
};

const verifier = () => import('./verifier.ts');

/** `cairn payer …`: the payer's side of paid inference (node/gateway/payer). */
const payerCommands: CommandGroup = {
  kind: 'group',
  name: 'payer',
  summary: 'pay operators for inference through Cairn',
  children: [
    {
      kind: 'command',
      name: 'serve',
      summary: 'run an OpenAI-compatible endpoint that picks operators from the catalog, checks and co-signs their receipts, and signs their batches',
      description:
        'Applications point any OpenAI SDK at it. Each request goes to the cheapest operator within the limits that serves the model, signed with the payer key; the operator\'s receipt is checked (price = its on-chain offer, units = the usage received, hashes of the request sent and the response received, its receipt key) and co-signed before the application gets its answer. A failing operator is set aside briefly (doubled at each failure in a row), a dishonest one for an hour, and the request retried elsewhere. Pending batches are signed only when rebuilt from receipts this gateway co-signed. Every flag can be set in the home\'s app.toml [payer-gateway] instead (a flag given overrides it).',
      options: {
        'payer-key': { type: 'string', valueName: 'file', description: 'the ed25519 seed of a payer key the account authorised (cairn receipts keygen)' },
        from: { type: 'string', valueName: 'key', description: 'the payer account: a keyring key name (needed for --top-up) or its address' },
        listen: { type: 'string', valueName: 'host:port', description: `where applications connect (default 127.0.0.1:8100)` },
        data: { type: 'string', valueName: 'dir', description: 'the gateway’s LevelDB (default <home>/data/payer-gateway)' },
        'max-price': { type: 'string', valueName: 'coin', description: 'highest price per unit to pay, e.g. 3ucairn (its denom is the escrow’s)' },
        'min-trust': { type: 'string', valueName: 'level', description: 'none, self-declared or verified-tee' },
        region: { type: 'string', multiple: true, valueName: 'region', description: 'only operators in this region (repeatable)' },
        'min-reputation': { type: 'string', valueName: 'n', description: 'only operators with at least this reputation' },
        endpoint: { type: 'string', multiple: true, valueName: 'operator=url', description: 'reach this operator’s gateway at url instead of its registered endpoint (repeatable)' },
        attempts: { type: 'string', valueName: 'n', description: 'operators tried per request (default 3)' },
        'set-aside': { type: 'string', valueName: 's', description: 'how long an operator that failed is not picked, doubled at each failure in a row (default 1)' },
        'set-aside-max': { type: 'string', valueName: 's', description: 'the most a run of failures sets an operator aside (default 60)' },
        'set-aside-dishonest': { type: 'string', valueName: 's', description: 'how long an operator whose receipt or batch failed the checks is not picked (default 3600)' },
        'top-up-below': { type: 'string', valueName: 'coin', description: 'deposit escrow when the available escrow falls below this' },
        'top-up': { type: 'string', valueName: 'coin', description: 'how much each deposit adds' },
        ...feeOptions,
      },
      examples: [
        'cairn payer serve',
        'cairn payer serve --from payer --payer-key ~/.cairn/payer-key --max-price 3ucairn',
        'cairn payer serve --from payer --payer-key ~/.cairn/payer-key --top-up-below 10000000ucairn --top-up 50000000ucairn --fees 5000ucairn',
      ],
      longRunning: true,
      load: () => import('./payer-serve.ts'),
    },
  ],
};

/** What a trusted verifier signs, offline (cli/commands/verifier.ts). */
const verifierCommands: CommandGroup = {
  kind: 'group',
  name: 'verifier',
  summary: 'sign attestations and capacity benchmarks as a trusted verifier (offline)',
  children: [
    {
      kind: 'command',
      name: 'keygen',
      summary: 'create an ed25519 verifier key (governance adds its public key to trusted_verifiers)',
      options: { out: { type: 'string', valueName: 'file', description: 'where to write the seed (mode 0600, never overwritten)' } },
      examples: ['cairn verifier keygen --out ~/.cairn/verifier-key'],
      load: async () => ({ run: (await import('./receipts/offchain.ts')).keygen }),
    },
    {
      kind: 'command',
      name: 'sign-attestation',
      summary: 'sign a TEE attestation of an operator’s GPU: the JSON `cairn tx registry submit-attestation` takes',
      args: [{ name: 'file', description: 'JSON: gpuId, teeType, measurement, reportHash (base64), issuedAt, expiresAt (unix seconds)' }],
      options: { ...verifierKeyOption, out: { type: 'string', valueName: 'file', description: 'write the signed attestation here (default: print it)' } },
      examples: [
        'cairn verifier sign-attestation report.json --key ~/.cairn/verifier-key --operator cairn1… --chain-id cairn-1 --out attestation-g0.json',
        'cairn verifier sign-attestation report.json --dev --operator cairn1… --chain-id cairn-dev-1 --out attestation-g0.json',
      ],
      load: async () => ({ run: (await verifier()).signAttestation }),
    },
    {
      kind: 'command',
      name: 'sign-capacity',
      summary: 'sign a capacity benchmark that answers a challenge: the --verifier and --signature of prove-capacity',
      options: {
        ...verifierKeyOption,
        'challenge-id': { type: 'string', valueName: 'id', description: 'the challenge (`cairn query emission challenges <operator>`)' },
        'gpu-id': { type: 'string', valueName: 'id', description: 'the challenged GPU commitment' },
        count: { type: 'string', valueName: 'n', description: 'how many GPUs the benchmark measured' },
      },
      examples: [
        'cairn verifier sign-capacity --key ~/.cairn/verifier-key --operator cairn1… --chain-id cairn-1 --challenge-id 7 --gpu-id h100-a --count 8',
        'cairn verifier sign-capacity --dev --operator cairn1… --chain-id cairn-dev-1 --challenge-id 7 --gpu-id h100-a --count 8',
      ],
      load: async () => ({ run: (await verifier()).signCapacity }),
    },
  ],
};

export const ROOT: CommandGroup = {
  kind: 'group',
  name: 'cairn',
  summary: 'Cairn: a Cosmos-style appchain that coordinates useful GPU work',
  children: [
    {
      kind: 'command',
      name: 'init',
      summary: 'create the home directory of a node: config, genesis and keys',
      external: true,
      load: () => loadExternal('init'),
    },
    {
      kind: 'command',
      name: 'start',
      summary: 'run the node: the ABCI application and CometBFT',
      external: true,
      longRunning: true,
      load: () => loadExternal('start'),
    },
    {
      kind: 'command',
      name: 'genesis',
      summary: 'build, check and export genesis files',
      external: true,
      load: () => loadExternal('genesis'),
    },
    {
      kind: 'command',
      name: 'dev',
      summary: 'run a one-node development chain with funded test keys',
      external: true,
      longRunning: true,
      load: () => loadExternal('dev'),
    },
    {
      kind: 'command',
      name: 'explorer',
      summary: 'serve the web explorer and GPU marketplace page for a node (its REST API)',
      external: true,
      longRunning: true,
      load: () => loadExternal('explorer'),
    },
    {
      kind: 'group',
      name: 'keys',
      summary: 'manage the keys that sign transactions',
      children: [
        {
          kind: 'command',
          name: 'add',
          summary: 'create a key, or recover one from a mnemonic',
          description:
            'Without --recover, generates a 24-word mnemonic and prints it once: write it down, it is the only backup.\n' +
            'With --recover, reads the mnemonic from stdin (hidden prompt in a terminal, or piped).',
          args: [{ name: 'name', description: 'name of the new key' }],
          options: {
            recover: { type: 'boolean', description: 'recover the key from a mnemonic read from stdin' },
            'hd-path': { type: 'string', valueName: 'path', description: "BIP-44 derivation path (default m/44'/118'/0'/0/0)" },
            'no-backup': { type: 'boolean', description: 'do not print the generated mnemonic' },
          },
          examples: [
            'cairn keys add alice',
            'cairn keys add bob --recover < bob.mnemonic',
            'cairn keys add dev --keyring-backend test --output json',
          ],
          load: () => import('./keys/add.ts'),
        },
        {
          kind: 'command',
          name: 'import',
          summary: 'store a key from a file holding its mnemonic',
          args: [
            { name: 'name', description: 'name of the new key' },
            { name: 'mnemonic-file', description: 'file whose content is the mnemonic' },
          ],
          options: {
            'hd-path': { type: 'string', valueName: 'path', description: "BIP-44 derivation path (default m/44'/118'/0'/0/0)" },
          },
          examples: ['cairn keys import carol ./carol.mnemonic'],
          load: () => import('./keys/import.ts'),
        },
        {
          kind: 'command',
          name: 'list',
          summary: 'list the stored keys',
          examples: ['cairn keys list', 'cairn keys list --keyring-backend test --output json'],
          load: () => import('./keys/list.ts'),
        },
        {
          kind: 'command',
          name: 'show',
          summary: 'show a key: address, public key, HD path',
          args: [{ name: 'name', description: 'key name (or its address)' }],
          options: { address: { type: 'boolean', short: 'a', description: 'print only the address' } },
          examples: ['cairn keys show alice', 'cairn keys show alice --address'],
          load: () => import('./keys/show.ts'),
        },
        {
          kind: 'command',
          name: 'delete',
          summary: 'delete a key (its mnemonic is the only way back)',
          args: [{ name: 'name', description: 'key name' }],
          options: { yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation' } },
          examples: ['cairn keys delete alice', 'cairn keys delete alice --yes'],
          load: () => import('./keys/delete.ts'),
        },
      ],
    },
    {
      kind: 'group',
      name: 'tx',
      summary: 'sign and broadcast transactions',
      children: [
        {
          kind: 'group',
          name: 'bank',
          summary: 'transfer tokens',
          children: [
            {
              kind: 'command',
              name: 'send',
              summary: 'send tokens from a key to an address',
              description:
                'Signs with SIGN_MODE_DIRECT, broadcasts, and waits until the transaction is in a block.\n' +
                'Without --fees or --gas-prices the fee is empty, which a node with a minimum gas price rejects.',
              args: [
                { name: 'from-key', description: 'name (or address) of the sending key' },
                { name: 'to-address', description: 'recipient, cairn1…' },
                { name: 'amount', description: 'coins, e.g. 100ucairn or 100ucairn,5uatom' },
              ],
              options: feeOptions,
              examples: [
                'cairn tx bank send alice cairn1… 1000000ucairn --fees 5000ucairn',
                'cairn tx bank send alice cairn1… 250ucairn --gas auto --gas-prices 0.025ucairn --memo "thanks"',
              ],
              load: () => import('./tx/bank-send.ts'),
            },
          ],
        },
        registryTxCommands(feeOptions),
        stakingTxCommands(feeOptions),
        distributionTxCommands(feeOptions),
        slashingTxCommands(feeOptions),
        govTxCommands(feeOptions),
        receiptsTxCommands(feeOptions),
        emissionTxCommands(feeOptions),
      ],
    },
    {
      kind: 'group',
      name: 'query',
      summary: 'read chain state from a node',
      children: [
        {
          kind: 'group',
          name: 'auth',
          summary: 'accounts',
          children: [
            {
              kind: 'command',
              name: 'account',
              summary: 'show an account: number, sequence, public key',
              args: [{ name: 'address', description: 'account address, cairn1…' }],
              examples: ['cairn query auth account cairn1…'],
              load: () => import('./query/auth-account.ts'),
            },
          ],
        },
        {
          kind: 'group',
          name: 'bank',
          summary: 'balances and supply',
          children: [
            {
              kind: 'command',
              name: 'balances',
              summary: 'show all balances of an address',
              args: [{ name: 'address', description: 'account address, cairn1…' }],
              examples: ['cairn query bank balances cairn1…', 'cairn query bank balances cairn1… --output json'],
              load: () => import('./query/bank-balances.ts'),
            },
            {
              kind: 'command',
              name: 'total-supply',
              summary: 'show the total supply of every denom',
              examples: ['cairn query bank total-supply'],
              load: () => import('./query/bank-total-supply.ts'),
            },
          ],
        },
        registryQueryCommands,
        stakingQueryCommands,
        distributionQueryCommands,
        slashingQueryCommands,
        govQueryCommands,
        receiptsQueryCommands,
        emissionQueryCommands,
        upgradeQueryCommands,
        consensusQueryCommands,
        {
          kind: 'command',
          name: 'tx',
          summary: 'show the result of a transaction by its hash',
          args: [{ name: 'hash', description: 'transaction hash (64 hex characters)' }],
          examples: ['cairn query tx 5C1F…'],
          load: () => import('./query/tx.ts'),
        },
      ],
    },
    {
      kind: 'command',
      name: 'status',
      summary: "show the node's chain id, height, app hash, version and sync state",
      examples: ['cairn status', 'cairn status --node http://10.0.0.5:26657 --output json'],
      load: () => import('./status.ts'),
    },
    {
      kind: 'command',
      name: 'statesync',
      summary: 'set up an empty node to join from a snapshot instead of replaying every block',
      description:
        'Takes the latest height and its block hash from two RPC endpoints (they must agree) as the light client\'s trusted\n' +
        'header and turns on CometBFT state sync in config.toml. Run it after `cairn init` and copying the genesis, before the first start.',
      args: [
        { name: 'rpc', description: 'a CometBFT RPC endpoint of the chain, e.g. http://203.0.113.5:26657' },
        { name: 'rpc2', description: 'a second one, or more (the light client checks one against the others)', variadic: true },
      ],
      options: { 'trust-period-hours': { type: 'string', valueName: 'hours', description: 'how long a validator set stays trusted (default 168)' } },
      examples: ['cairn statesync http://rpc-1.example:26657 http://rpc-2.example:26657 --home ~/.cairn'],
      load: () => import('./statesync.ts'),
    },
    {
      kind: 'group',
      name: 'indexer',
      summary: 'where the node indexes txs and events: CometBFT\'s kv store, or PostgreSQL for a public explorer',
      children: [
        {
          kind: 'command',
          name: 'psql',
          summary: 'index into PostgreSQL: create the event sink\'s tables, point config.toml and the explorer at the database',
          description:
            'Creates the tables and views of CometBFT\'s psql event sink in the database (idempotent), sets config.toml\n' +
            '[tx_index] indexer = "psql" and psql-conn, and app.toml [explorer] psql. Restart the node afterwards. With psql the\n' +
            'node\'s RPC cannot look txs up (tx, tx_search): wallets and `cairn query tx` need a node that keeps indexer = "kv".',
          options: {
            conn: { type: 'string', valueName: 'url', description: 'the database CometBFT writes, postgres://user:password@host:5432/db?sslmode=disable' },
            'explorer-conn': { type: 'string', valueName: 'url', description: 'what the explorer reads with, e.g. a read-only user (default: --conn)' },
            'schema-only': { type: 'boolean', description: 'only create the tables; leave the home as it is' },
          },
          examples: ['cairn indexer psql --conn postgres://cairn:secret@127.0.0.1:5432/cairn?sslmode=disable --home ~/.cairn'],
          load: async () => ({ run: (await import('./indexer.ts')).psql }),
        },
        {
          kind: 'command',
          name: 'kv',
          summary: 'index into CometBFT\'s kv store again (the default): config.toml indexer = "kv", the explorer reads the node',
          examples: ['cairn indexer kv --home ~/.cairn'],
          load: async () => ({ run: (await import('./indexer.ts')).kv }),
        },
      ],
    },
    {
      kind: 'group',
      name: 'localnet',
      summary: 'run a multi-validator network on this machine',
      children: [
        { kind: 'command', name: 'up', summary: 'create (first time) and start N validators in the background', external: true, load: async () => (await import('./localnet-up.ts')) as CommandModule },
        { kind: 'command', name: 'status', summary: 'heights, app hashes, voting powers and peers of every node', external: true, load: async () => (await import('./localnet-status.ts')) as CommandModule },
        { kind: 'command', name: 'down', summary: 'stop every node by its recorded pid (--reset wipes the data)', external: true, load: async () => (await import('./localnet-down.ts')) as CommandModule },
      ],
    },
    {
      kind: 'group',
      name: 'operator',
      summary: 'run the operator gateway: an OpenAI-compatible, metering, self-settling proxy in front of an inference server',
      children: [
        {
          kind: 'command',
          name: 'serve',
          summary: 'serve paid inference: check payers, meter usage, sign receipts, and batch, submit, reveal and get paid by itself',
          description: 'Every flag can be set in the home\'s app.toml [operator-gateway] instead (--peer as peers); a flag given overrides it.',
          options: operatorServeOptions,
          longRunning: true,
          examples: ['cairn operator serve --upstream http://127.0.0.1:8000/v1 --key gpu-op --receipt-key ~/.cairn/receipt-key --peer /ip4/127.0.0.1/tcp/26659/p2p/12D3Koo…', 'cairn operator serve'],
          load: async () => ({ run: (await import('./operator.ts')).serve }),
        },
        {
          kind: 'command',
          name: 'status',
          summary: 'a running operator gateway’s pending batches, earnings, open requests and credit per payer',
          options: { gateway: { type: 'string', valueName: 'url', description: 'the running gateway (default http://127.0.0.1:8480)' } },
          examples: ['cairn operator status', 'cairn operator status --gateway http://10.0.0.5:8480 -o json'],
          load: async () => ({ run: (await import('./operator.ts')).status }),
        },
      ],
    },
    withPublish(receiptsCommands(feeOptions)),
    payerCommands,
    verifierCommands,
  ],
};

/** `cairn receipts publish[-attestations]` live in their own files (node/p2p owner); loaded only when they run. */
function withPublish(group: CommandGroup): CommandGroup {
  const publish: CommandSpec = {
    kind: 'command',
    name: 'publish',
    summary: 'gossip a batch file to libp2p peers, signed by the operator receipt key',
    external: true,
    load: async () => (await import('./receipts-publish.ts')) as CommandModule,
  };
  const attestations: CommandSpec = {
    kind: 'command',
    name: 'publish-attestations',
    summary: 'gossip verifier-signed attestations to libp2p peers, signed by the operator receipt key',
    external: true,
    load: async () => (await import('./receipts-publish-attestations.ts')) as CommandModule,
  };
  return { ...group, children: [...group.children, publish, attestations] };
}

/** The command module is not in this checkout, or does not export `run`. */
export class CommandUnavailableError extends CliError {
  override name = 'CommandUnavailableError';
}

// A computed specifier keeps the type checker from requiring files that other people write; the
// module shape is checked here at run time instead.
async function loadExternal(name: string): Promise<CommandModule> {
  const url = new URL(`./${name}.ts`, import.meta.url);
  let module: unknown;
  try {
    module = await import(url.href);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : '';
    if (code === 'ERR_MODULE_NOT_FOUND' && message.includes(fileURLToPath(url))) {
      throw new CommandUnavailableError(`\`cairn ${name}\` is not available in this build: ${fileURLToPath(url)} is missing`);
    }
    throw error;
  }
  if (typeof (module as { run?: unknown }).run !== 'function') {
    throw new CommandUnavailableError(`${fileURLToPath(url)} does not export run(ctx: CommandContext): Promise<void>`);
  }
  return module as CommandModule;
}

/** Every runnable command with its path, in tree order (for help and tests). */
export function allCommands(node: CommandNode = ROOT, path: readonly string[] = []): Array<{ path: string[]; spec: CommandSpec }> {
  if (node.kind === 'command') return [{ path: [...path], spec: node }];
  return node.children.flatMap((child) => allCommands(child, [...path, child.name]));
}
