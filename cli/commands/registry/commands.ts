// The `cairn tx registry …` and `cairn query registry …` command trees, plugged into
// cli/commands/table.ts. Modules load only when their command runs.
import type { OptionSpecs } from '../../context.ts';
import { type CommandGroup, cmd, from } from '../spec.ts';

const listingOptions: OptionSpecs = {
  moniker: { type: 'string', valueName: 'name', description: 'name shown in the catalog (required)' },
  endpoint: { type: 'string', multiple: true, valueName: 'https-url', description: 'direct-host endpoint; repeat for several (at least one)' },
  region: { type: 'string', valueName: 'region', description: 'e.g. eu-west (required)' },
  'linked-host': { type: 'string', multiple: true, valueName: 'id', description: 'a host this operator runs elsewhere, e.g. an Aleph CRN id; repeatable' },
};

const termsOptions: OptionSpecs = {
  license: { type: 'string', valueName: 'spdx-id', description: 'SPDX license id (Apache-2.0, MIT, …) or LicenseRef-<name>' },
  eval: { type: 'string', multiple: true, valueName: 'spec', description: 'name=<n>,hash=<sha256 hex>,uri=<https or ipfs URI>; repeatable' },
  'royalty-bps': { type: 'string', valueName: 'bps', description: 'royalty in basis points of each paid use (100 = 1%)' },
  recipient: { type: 'string', multiple: true, valueName: 'address=bps', description: 'royalty recipient and weight; weights add up to 10000 (default: you, 10000)' },
};

const pageOptions: OptionSpecs = {
  limit: { type: 'string', valueName: 'n', description: 'page size, 1-1000 (default 100)' },
  'page-key': { type: 'string', valueName: 'hex', description: 'continue from the "next page key" of the previous page' },
};

const op = () => import('./tx-operator.ts');
const model = () => import('./tx-model.ts');
const payer = () => import('./tx-payer.ts');
const query = () => import('./queries.ts');

export function registryTxCommands(feeOptions: OptionSpecs): CommandGroup {
  return {
    kind: 'group',
    name: 'registry',
    summary: 'GPU operators, models and adapters, payer keys and attestations',
    children: [
      cmd('register-operator', 'register as a GPU operator with a bond', async () => (await op()).registerOperator, {
        args: [from],
        options: {
          ...listingOptions,
          'receipt-key': { type: 'string', valueName: 'key', description: 'ed25519 public key that signs your receipts (64 hex or base64)' },
          bond: { type: 'string', valueName: 'coin', description: 'at least the min_operator_bond param, e.g. 100000000ucairn' },
          ...feeOptions,
        },
        examples: ['cairn tx registry register-operator ops --moniker gpu-farm --endpoint https://gpu.example.com --region eu-west --receipt-key <hex> --bond 100000000ucairn --gas auto --gas-prices 0.025ucairn'],
      }),
      cmd('update-operator', 'replace moniker, endpoints, region and linked hosts', async () => (await op()).updateOperator, {
        args: [from],
        options: { ...listingOptions, ...feeOptions },
        examples: ['cairn tx registry update-operator ops --moniker gpu-farm --endpoint https://gpu.example.com --endpoint https://gpu2.example.com --region eu-west --linked-host aleph-crn-0f3a'],
      }),
      cmd('add-bond', 'add coins to your operator bond', async () => (await op()).addBond, {
        args: [from, { name: 'amount', description: 'e.g. 5000000ucairn' }],
        options: feeOptions,
        examples: ['cairn tx registry add-bond ops 50000000ucairn --gas auto --gas-prices 0.025ucairn'],
      }),
      cmd('unjail', 'return to the catalog after a jail period has ended (`cairn query registry operator` shows jailed_until)', async () => (await op()).unjail, {
        args: [from],
        options: feeOptions,
        examples: ['cairn tx registry unjail ops --gas auto --gas-prices 0.025ucairn'],
      }),
      cmd('begin-unbond', 'start unbonding part or all of your bond (released after operator_unbonding_blocks)', async () => (await op()).beginUnbond, {
        args: [from, { name: 'amount', description: 'e.g. 5000000ucairn' }],
        options: feeOptions,
        examples: ['cairn tx registry begin-unbond ops 50000000ucairn'],
      }),
      cmd('rotate-receipt-key', 'replace your receipt key (the old one stays valid for receipts it signed)', async () => (await op()).rotateReceiptKey, {
        args: [from, { name: 'new-key', description: 'ed25519 public key, 64 hex or base64' }],
        options: feeOptions,
        examples: ['cairn tx registry rotate-receipt-key ops 3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29'],
      }),
      cmd('commit-gpus', 'replace your GPU commitments', async () => (await op()).commitGpus, {
        args: [from],
        options: {
          gpu: {
            type: 'string',
            multiple: true,
            valueName: 'spec',
            description: 'id=<id>,model=<e.g. H100-80GB>,vram-gb=<n>,count=<n>,tier=consumer|workstation|datacenter,tee=none+sev-snp+tdx+nvidia-cc,price=<coin per hour>[,reservable]',
          },
          none: { type: 'boolean', description: 'withdraw every commitment' },
          ...feeOptions,
        },
        examples: ['cairn tx registry commit-gpus ops --gpu id=g0,model=H100-80GB,vram-gb=80,count=8,tier=datacenter,tee=none+sev-snp,price=2000000ucairn,reservable'],
      }),
      cmd('register-model', 'register a base model or an adapter manifest', async () => (await model()).registerModel, {
        args: [from, { name: 'id', description: 'model id: lower-case slug, unique on the chain, e.g. acme/llama-3.1-8b-legal' }],
        options: {
          kind: { type: 'string', valueName: 'base|adapter', description: 'default base' },
          base: { type: 'string', valueName: 'model-id', description: 'base model of an adapter' },
          'content-hash': { type: 'string', valueName: 'hash', description: 'sha256:<64 hex> or IPFS CID of the weights (required)' },
          'previous-version': { type: 'string', valueName: 'model-id', description: 'the version this one replaces' },
          ...termsOptions,
          ...feeOptions,
        },
        examples: [
          'cairn tx registry register-model author acme/base --content-hash sha256:… --license Apache-2.0 --royalty-bps 300',
          'cairn tx registry register-model author acme/legal-lora --kind adapter --base acme/base --content-hash sha256:… --license MIT --royalty-bps 500 --recipient cairn1…=7000 --recipient cairn1…=3000',
        ],
      }),
      cmd('update-model', 'replace the license, evals and royalty terms of your model', async () => (await model()).updateModel, {
        args: [from, { name: 'id', description: 'model id' }],
        options: { ...termsOptions, ...feeOptions },
        examples: ['cairn tx registry update-model author acme/legal-lora --license MIT --royalty-bps 400'],
      }),
      cmd('deprecate-model', 'deprecate your model for good', async () => (await model()).deprecateModel, {
        args: [from, { name: 'id', description: 'model id' }],
        options: feeOptions,
        examples: ['cairn tx registry deprecate-model author acme/legal-lora'],
      }),
      cmd('serve-model', 'declare (or re-price) a model or adapter you serve', async () => (await model()).serveModel, {
        args: [from, { name: 'model-id', description: 'model or adapter id' }, { name: 'price', description: 'price per unit (token), e.g. 2ucairn' }],
        options: feeOptions,
        examples: ['cairn tx registry serve-model ops acme/legal-lora 2ucairn'],
      }),
      cmd('stop-serving', 'withdraw a serving offer', async () => (await model()).stopServing, {
        args: [from, { name: 'model-id', description: 'model or adapter id' }],
        options: feeOptions,
        examples: ['cairn tx registry stop-serving ops acme/legal-lora'],
      }),
      cmd('authorize-payer-key', 'authorise an ed25519 key to sign receipts as you (the payer)', async () => (await payer()).authorizePayerKey, {
        args: [from, { name: 'key', description: 'ed25519 public key, 64 hex or base64' }],
        options: { label: { type: 'string', valueName: 'text', description: 'a note for yourself, e.g. gateway-eu' }, ...feeOptions },
        examples: ['cairn tx registry authorize-payer-key gateway 3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29 --label gateway-eu'],
      }),
      cmd('revoke-payer-key', 'revoke one of your payer keys (for good)', async () => (await payer()).revokePayerKey, {
        args: [from, { name: 'key', description: 'ed25519 public key, 64 hex or base64' }],
        options: feeOptions,
        examples: ['cairn tx registry revoke-payer-key gateway 3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29'],
      }),
      cmd('submit-attestation', 'submit a verifier-signed TEE attestation of one of your GPUs', async () => (await payer()).submitAttestation, {
        args: [from, { name: 'file', description: 'JSON from the verifier: gpuId, teeType, measurement, reportHash, issuedAt, expiresAt, verifier, signature' }],
        options: feeOptions,
        examples: ['cairn tx registry submit-attestation ops ./attestation-g0.json'],
      }),
    ],
  };
}

export const registryQueryCommands: CommandGroup = {
  kind: 'group',
  name: 'registry',
  summary: 'the GPU and model catalog',
  children: [
    cmd('params', 'show the registry params', async () => (await query()).params, { examples: ['cairn query registry params'] }),
    cmd('operator', 'show an operator: listing, bond, GPUs, trust', async () => (await query()).operator, {
      args: [{ name: 'address', description: 'operator address, cairn1…' }],
      examples: ['cairn query registry operator cairn1…', 'cairn query registry operator cairn1… --output json'],
    }),
    cmd('operators', 'the catalog: operators filtered and sorted', async () => (await query()).operators, {
      options: {
        region: { type: 'string', valueName: 'region', description: 'only this region' },
        'gpu-model': { type: 'string', valueName: 'model', description: 'only operators with this GPU model (any case)' },
        tier: { type: 'string', valueName: 'tier', description: 'consumer, workstation or datacenter' },
        tee: { type: 'string', valueName: 'type', description: 'only operators with a current attestation of this type: none, sev-snp, tdx, nvidia-cc' },
        serves: { type: 'string', valueName: 'model-id', description: 'only operators serving this model or adapter' },
        sort: { type: 'string', valueName: 'order', description: 'address (default), price or reputation' },
        'include-inactive': { type: 'boolean', description: 'also list jailed, unbonding and tombstoned operators' },
        ...pageOptions,
      },
      examples: ['cairn query registry operators --gpu-model H100-80GB --region eu-west --sort price', 'cairn query registry operators --serves acme/legal-lora --sort reputation'],
    }),
    cmd('model', 'show a model or adapter manifest', async () => (await query()).model, {
      args: [{ name: 'id', description: 'model id' }],
      examples: ['cairn query registry model acme/legal-lora'],
    }),
    cmd('models', 'list models and adapters', async () => (await query()).models, {
      options: {
        kind: { type: 'string', valueName: 'base|adapter', description: 'only this kind' },
        author: { type: 'string', valueName: 'address', description: 'only by this author' },
        'include-deprecated': { type: 'boolean', description: 'also list deprecated models' },
        ...pageOptions,
      },
      examples: ['cairn query registry models --kind adapter', 'cairn query registry models --author cairn1… --include-deprecated'],
    }),
    cmd('model-versions', 'every version in a model\'s chain, oldest first', async () => (await query()).modelVersions, {
      args: [{ name: 'id', description: 'any version\'s id' }],
      options: pageOptions,
      examples: ['cairn query registry model-versions acme/base-v2'],
    }),
    cmd('adapters', 'the adapters of a base model', async () => (await query()).adapters, {
      args: [{ name: 'base-model-id', description: 'base model id' }],
      options: { 'include-deprecated': { type: 'boolean', description: 'also list deprecated adapters' }, ...pageOptions },
      examples: ['cairn query registry adapters acme/base'],
    }),
    cmd('model-servers', 'who serves a model, cheapest first', async () => (await query()).modelServers, {
      args: [{ name: 'model-id', description: 'model or adapter id' }],
      options: pageOptions,
      examples: ['cairn query registry model-servers acme/legal-lora'],
    }),
    cmd('operator-serves', 'what an operator serves and at what price', async () => (await query()).operatorServes, {
      args: [{ name: 'address', description: 'operator address' }],
      options: pageOptions,
      examples: ['cairn query registry operator-serves cairn1…'],
    }),
    cmd('attestations', "an operator's current attestations", async () => (await query()).attestations, {
      args: [{ name: 'address', description: 'operator address' }],
      examples: ['cairn query registry attestations cairn1…'],
    }),
    cmd('payer-keys', "a payer's authorised receipt keys", async () => (await query()).payerKeys, {
      args: [{ name: 'address', description: 'payer address' }],
      options: { 'include-revoked': { type: 'boolean', description: 'also list revoked keys' }, ...pageOptions },
      examples: ['cairn query registry payer-keys cairn1… --include-revoked'],
    }),
  ],
};
