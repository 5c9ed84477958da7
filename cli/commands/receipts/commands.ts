// The `cairn receipts …`, `cairn tx receipts …` and `cairn query receipts …` command trees, plugged
// into cli/commands/table.ts. Modules load only when their command runs.
import type { ArgSpec, OptionSpecs } from '../../context.ts';
import { type CommandGroup, cmd, from } from '../spec.ts';

const batchId: ArgSpec = { name: 'batch-id', description: 'id printed by `cairn receipts submit`' };

const pageOptions: OptionSpecs = {
  limit: { type: 'string', valueName: 'n', description: 'page size, 1-1000 (default 100)' },
  'page-key': { type: 'string', valueName: 'hex', description: 'continue from the "next page key" of the previous page' },
};

const off = () => import('./offchain.ts');
const on = () => import('./onchain.ts');
const query = () => import('./queries.ts');

export function receiptsCommands(feeOptions: OptionSpecs): CommandGroup {
  return {
    kind: 'group',
    name: 'receipts',
    summary: 'sign receipts, build batches and proofs, submit and challenge batches',
    children: [
      cmd('keygen', 'create an ed25519 receipt key (authorise it in the registry)', async () => (await off()).keygen, {
        options: { out: { type: 'string', valueName: 'file', description: 'where to write the seed (mode 0600, never overwritten)' } },
        examples: ['cairn receipts keygen --out ~/.cairn/receipt-key'],
      }),
      cmd('simulate', 'write unsigned receipts of made-up requests an operator just served a payer (to try the flow)', async () => (await import('./simulate.ts')).simulate, {
        args: [
          { name: 'operator', description: 'address, or key name in the keyring' },
          { name: 'payer', description: 'address, or key name in the keyring' },
        ],
        description: 'Chain id, current epoch and times come from the node (--node), so the receipts are valid once both sign. For dev chains and localnets: real receipts come from your serving stack.',
        options: {
          model: { type: 'string', valueName: 'id', description: 'the model served' },
          adapter: { type: 'string', valueName: 'id', description: 'the adapter used, if any' },
          count: { type: 'string', valueName: 'n', description: 'how many receipts (default 5)' },
          'unit-price': { type: 'string', valueName: 'ucairn', description: 'price per token (default 2)' },
          out: { type: 'string', valueName: 'file', description: 'where to write them (a JSON array)' },
        },
        examples: ['cairn receipts simulate operator0 payer --model cairn-dev/llama-3.1-8b --home .dev --keyring-backend test --out usage.json'],
      }),
      cmd('sign', 'sign receipts as the payer or the operator', async () => (await off()).sign, {
        args: [{ name: 'receipts-file', description: 'a receipt, a JSON array or JSONL (protobuf JSON)' }],
        options: {
          key: { type: 'string', valueName: 'file', description: 'seed file written by `cairn receipts keygen`' },
          role: { type: 'string', valueName: 'payer|operator', description: 'which signature to add' },
          out: { type: 'string', valueName: 'file', description: 'write the signed receipts here (default: print them)' },
        },
        examples: ['cairn receipts sign usage.jsonl --role operator --key ~/.cairn/receipt-key --out signed.json'],
      }),
      cmd('batch', 'build a batch (sorted, deduplicated, Merkle-sum root) from receipt files', async () => (await off()).batch, {
        args: [{ name: 'receipts-file', description: 'signed receipts: one, a JSON array or JSONL; several files are joined', variadic: true }],
        description: 'All receipts must share operator, payer, model, adapter, epoch and chain id; a repeated receipt id is refused.',
        options: { out: { type: 'string', valueName: 'file', description: 'the batch file to write' } },
        examples: ['cairn receipts batch signed.json more.jsonl --out batch.json'],
      }),
      cmd('sign-batch', "the payer's consent: sign a batch's totals, only over receipts this payer key signed", async () => (await off()).signBatch, {
        args: [{ name: 'batch-file', description: 'written by `cairn receipts batch` (the operator sends it)' }],
        description:
          'Rebuilds the Merkle-sum root, count and totals from the receipts in the file and refuses if any receipt lacks this key’s payer signature or (with --signed) is not one of the receipts the payer signed. The chain refuses a batch without this signature.',
        options: {
          key: { type: 'string', valueName: 'file', description: 'the payer key seed file (authorised in the registry)' },
          mode: { type: 'string', valueName: 'escrow|offchain', description: "settle from the payer's escrow (default) or off chain" },
          signed: { type: 'string', valueName: 'file', description: 'the receipts this payer signed (its own record); every receipt of the batch must be one of them' },
          out: { type: 'string', valueName: 'file', description: 'the signed batch file to write' },
        },
        examples: ['cairn receipts sign-batch batch.json --key ~/.cairn/payer-key --signed payer-signed.json --out signed-batch.json'],
      }),
      cmd('verify', 'check receipts or a batch file: fields, amounts, signatures, and with --chain the keys', async () => (await off()).verify, {
        args: [{ name: 'file', description: 'a receipt, receipts or a batch file' }],
        options: {
          'operator-key': { type: 'string', valueName: 'hex', description: "the operator's receipt key, to check its signatures offline" },
          chain: { type: 'boolean', description: 'judge the payer and operator keys as the chain does, at the block of each receipt’s finishedAt: unknown, not yet authorised or already revoked keys are errors' },
        },
        examples: ['cairn receipts verify batch.json --chain', 'cairn receipts verify signed.json --operator-key 3b6a…'],
      }),
      cmd('prove', 'print the inclusion proof of one leaf of a batch file', async () => (await off()).prove, {
        args: [{ name: 'batch-file', description: 'written by `cairn receipts batch`' }, { name: 'index', description: 'leaf index' }],
        examples: ['cairn receipts prove batch.json 17 --output json'],
      }),
      cmd('submit', 'submit a batch (MsgSubmitBatch), then reveal the leaves the chain samples', async () => (await on()).submit, {
        args: [from, { name: 'batch-file', description: 'signed by the payer with `cairn receipts sign-batch`' }],
        options: {
          mode: { type: 'string', valueName: 'escrow|offchain', description: 'must be the mode the payer signed (default: that mode)' },
          'no-reveal': { type: 'boolean', description: 'do not reveal the sample now (it must be revealed within reveal_window)' },
          ...feeOptions,
        },
        examples: ['cairn receipts submit ops batch.json --gas 2000000 --fees 50000ucairn'],
      }),
      cmd('challenge', 'prove a fault of a pending batch, or ask for one of its receipts', async () => (await on()).challenge, {
        args: [from, batchId],
        options: {
          batch: { type: 'string', valueName: 'file', description: 'the batch file the operator published' },
          leaf: { type: 'string', valueName: 'i', description: 'the leaf holding an invalid receipt' },
          sum: { type: 'string', valueName: 'level:position', description: 'a node whose sums differ from its children' },
          request: { type: 'string', valueName: 'i', description: 'ask for leaf i with the challenge bond' },
          ...feeOptions,
        },
        examples: ['cairn receipts challenge watcher 12 --batch batch.json --leaf 3', 'cairn receipts challenge watcher 12 --request 40'],
      }),
    ],
  };
}

export function receiptsTxCommands(feeOptions: OptionSpecs): CommandGroup {
  return {
    kind: 'group',
    name: 'receipts',
    summary: 'escrow, reveals, receipt requests and GPU reservations',
    children: [
      cmd('deposit-escrow', 'move coins into your escrow, where batches can lock them', async () => (await on()).depositEscrow, {
        args: [from, { name: 'amount', description: 'e.g. 100000000ucairn' }],
        options: feeOptions,
        examples: ['cairn tx receipts deposit-escrow gateway 500000000ucairn --fees 5000ucairn'],
      }),
      cmd('withdraw-escrow', 'ask for escrow back (paid after escrow_withdraw_delay blocks)', async () => (await on()).withdrawEscrow, {
        args: [from, { name: 'amount', description: 'e.g. 100000000ucairn' }],
        options: feeOptions,
        examples: ['cairn tx receipts withdraw-escrow gateway 100000000ucairn --fees 5000ucairn'],
      }),
      cmd('reveal', 'reveal leaves of your batch (sampled or requested)', async () => (await on()).reveal, {
        args: [from, batchId, { name: 'batch-file', description: 'the batch file' }, { name: 'index', description: 'leaf indices, one transaction for all', variadic: true }],
        options: feeOptions,
        examples: ['cairn tx receipts reveal ops 12 batch.json 40', 'cairn tx receipts reveal ops 12 batch.json 3 17 40 --gas 1000000 --fees 25000ucairn'],
      }),
      cmd('request-receipt', 'ask for a leaf of a pending batch with the challenge bond', async () => (await on()).requestReceipt, {
        args: [from, batchId, { name: 'index', description: 'leaf index' }],
        options: { bond: { type: 'string', valueName: 'coin', description: 'default: the challenge_bond param' }, ...feeOptions },
        examples: ['cairn tx receipts request-receipt watcher 12 40 --fees 5000ucairn'],
      }),
      cmd('reserve', "reserve an operator's reservable GPUs at their listed price", async () => (await on()).reserve, {
        args: [from, { name: 'operator', description: 'cairn1…' }, { name: 'gpu-id', description: 'the GPU commitment id' }, { name: 'gpu-count', description: 'how many GPUs' }, { name: 'hours', description: 'duration' }],
        options: feeOptions,
        examples: ['cairn tx receipts reserve alice cairn1… h100-a 2 24 --fees 5000ucairn'],
      }),
      cmd('start-reservation', 'start a reservation made with you (within start_window)', async () => (await on()).startReservation, {
        args: [from, { name: 'reservation-id', description: 'id' }],
        options: feeOptions,
        examples: ['cairn tx receipts start-reservation ops 7 --fees 5000ucairn'],
      }),
      cmd('report-refusal', 'get your payment back for a reservation never started', async () => (await on()).reportRefusal, {
        args: [from, { name: 'reservation-id', description: 'id' }],
        options: feeOptions,
        examples: ['cairn tx receipts report-refusal alice 7 --fees 5000ucairn'],
      }),
    ],
  };
}

export const receiptsQueryCommands: CommandGroup = {
  kind: 'group',
  name: 'receipts',
  summary: 'batches, escrows, reservations, epoch roots and the royalty ledger',
  children: [
    cmd('params', 'show the receipts params', async () => (await query()).params, { examples: ['cairn query receipts params'] }),
    cmd('batch', 'show a batch: status, sample, challenges, fault, split', async () => (await query()).batch, { args: [batchId], examples: ['cairn query receipts batch 12 --output json'] }),
    cmd('batches', 'list batches, by operator, payer, epoch or status', async () => (await query()).batches, {
      options: {
        operator: { type: 'string', valueName: 'address', description: 'only this operator' },
        payer: { type: 'string', valueName: 'address', description: 'only this payer' },
        epoch: { type: 'string', valueName: 'n', description: 'only this epoch' },
        status: { type: 'string', valueName: 'pending|finalized|rejected', description: 'only this status' },
        ...pageOptions,
      },
      examples: ['cairn query receipts batches --operator cairn1… --limit 20', 'cairn query receipts batches --status pending'],
    }),
    cmd('escrow', "show a payer's escrow and pending withdrawals", async () => (await query()).escrow, { args: [{ name: 'payer', description: 'cairn1…' }], examples: ['cairn query receipts escrow cairn1…'] }),
    cmd('reservation', 'show a reservation', async () => (await query()).reservation, { args: [{ name: 'id', description: 'reservation id' }], examples: ['cairn query receipts reservation 7'] }),
    cmd('reservations', "list a payer's or an operator's reservations", async () => (await query()).reservations, {
      options: { payer: { type: 'string', valueName: 'address', description: 'by payer' }, operator: { type: 'string', valueName: 'address', description: 'by operator' }, ...pageOptions },
      examples: ['cairn query receipts reservations --payer cairn1…'],
    }),
    cmd('epoch', 'show the current epoch', async () => (await query()).epoch, { examples: ['cairn query receipts epoch'] }),
    cmd('epoch-roots', "show an epoch's receipts and royalty roots (and the store key to prove them)", async () => (await query()).epochRoots, {
      args: [{ name: 'epoch', description: 'epoch number' }],
      examples: ['cairn query receipts epoch-roots 41 --output json'],
    }),
    cmd('royalty-ledger', "show a recipient's royalties: paid, owed off chain, per epoch", async () => (await query()).royaltyLedger, {
      args: [{ name: 'recipient', description: 'cairn1…' }],
      options: pageOptions,
      examples: ['cairn query receipts royalty-ledger cairn1…'],
    }),
  ],
};
