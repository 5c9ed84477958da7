// The `cairn tx staking …` and `cairn query staking …` command trees, plugged into table.ts.
// Modules load only when their command runs.
import type { ArgSpec, OptionSpecs } from '../../context.ts';
import { type CommandGroup, cmd, delegatorArg, from, validatorArg } from '../spec.ts';

const amount: ArgSpec = { name: 'amount', description: 'e.g. 1000000ucairn' };

const description: OptionSpecs = {
  moniker: { type: 'string', valueName: 'name', description: 'the name wallets and explorers show' },
  identity: { type: 'string', valueName: 'id', description: 'e.g. a Keybase key fingerprint' },
  website: { type: 'string', valueName: 'url', description: 'your website' },
  'security-contact': { type: 'string', valueName: 'email', description: 'how to reach you about security' },
  details: { type: 'string', valueName: 'text', description: 'a few words about the validator' },
};

const tx = () => import('./tx.ts');
const query = () => import('./queries.ts');

export function stakingTxCommands(feeOptions: OptionSpecs): CommandGroup {
  return {
    kind: 'group',
    name: 'staking',
    summary: 'validators and delegations',
    children: [
      cmd('create-validator', 'become a validator: consensus key, self-bond, commission', async () => (await tx()).createValidator, {
        args: [from, { name: 'self-bond', description: 'e.g. 100000000ucairn (100 CAIRN: voting power 100)' }],
        options: {
          pubkey: { type: 'string', valueName: 'base64', description: "ed25519 consensus key (default: --home's config/priv_validator_key.json)" },
          ...description,
          'commission-rate': { type: 'string', valueName: 'dec', description: 'commission on rewards, e.g. 0.1 (default 0.1)' },
          'commission-max-rate': { type: 'string', valueName: 'dec', description: 'the most it may ever be (default 0.2)' },
          'commission-max-change-rate': { type: 'string', valueName: 'dec', description: 'the most it may change per day (default 0.01)' },
          'min-self-delegation': { type: 'string', valueName: 'amount', description: 'jailed if your own stake falls below (ucairn, default 1)' },
          ...feeOptions,
        },
        examples: ['cairn tx staking create-validator op 100000000ucairn --moniker my-node --home ~/.cairn --gas auto --gas-prices 0.025ucairn'],
      }),
      cmd('edit-validator', 'change the description, commission rate or minimum self-delegation', async () => (await tx()).editValidator, {
        args: [from],
        options: {
          ...description,
          'commission-rate': { type: 'string', valueName: 'dec', description: 'new rate: at most once a day, by at most max change rate' },
          'min-self-delegation': { type: 'string', valueName: 'amount', description: 'a higher minimum (ucairn)' },
          ...feeOptions,
        },
        examples: ['cairn tx staking edit-validator op --website https://example.com --commission-rate 0.09'],
      }),
      cmd('delegate', 'bond tokens to a validator', async () => (await tx()).delegate, {
        args: [from, validatorArg, amount],
        options: feeOptions,
        examples: ['cairn tx staking delegate alice cairnvaloper1… 5000000ucairn --gas auto --gas-prices 0.025ucairn'],
      }),
      cmd('unbond', 'start unbonding tokens (back after the unbonding period, slashable until then)', async () => (await tx()).unbond, {
        args: [from, validatorArg, amount],
        options: feeOptions,
        examples: ['cairn tx staking unbond alice cairnvaloper1… 1000000ucairn --gas auto --gas-prices 0.025ucairn'],
      }),
      cmd('redelegate', 'move bonded tokens to another validator at once', async () => (await tx()).redelegate, {
        args: [from, { name: 'src-validator', description: 'from, cairnvaloper1…' }, { name: 'dst-validator', description: 'to, cairnvaloper1…' }, amount],
        options: feeOptions,
        examples: ['cairn tx staking redelegate alice cairnvaloper1… cairnvaloper1… 1000000ucairn --gas auto --gas-prices 0.025ucairn'],
      }),
    ],
  };
}

export const stakingQueryCommands: CommandGroup = {
  kind: 'group',
  name: 'staking',
  summary: 'validators, delegations, unbonding, the bond pool',
  children: [
    cmd('validators', 'list validators with status, tokens and commission', async () => (await query()).validators, {
      options: { status: { type: 'string', valueName: 'bonded|unbonding|unbonded', description: 'only validators in this state' } },
      examples: ['cairn query staking validators', 'cairn query staking validators --status bonded --output json'],
    }),
    cmd('validator', 'show one validator', async () => (await query()).validator, { args: [validatorArg], examples: ['cairn query staking validator cairnvaloper1…'] }),
    cmd('delegation', 'show a delegation to one validator', async () => (await query()).delegation, { args: [delegatorArg, validatorArg], examples: ['cairn query staking delegation cairn1… cairnvaloper1…'] }),
    cmd('delegations', 'list the delegations of an address', async () => (await query()).delegations, { args: [delegatorArg], examples: ['cairn query staking delegations cairn1…'] }),
    cmd('unbonding', 'list the unbonding delegations of an address', async () => (await query()).unbonding, { args: [delegatorArg], examples: ['cairn query staking unbonding cairn1…'] }),
    cmd('redelegations', 'list the redelegations of an address', async () => (await query()).redelegations, { args: [delegatorArg], examples: ['cairn query staking redelegations cairn1…'] }),
    cmd('pool', 'show bonded and not-bonded tokens', async () => (await query()).pool, { examples: ['cairn query staking pool'] }),
    cmd('params', 'show the staking parameters', async () => (await query()).params, { examples: ['cairn query staking params'] }),
  ],
};
