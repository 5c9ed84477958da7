// cairn tx registry register-model | update-model | deprecate-model | serve-model | stop-serving
import { coinToChain, parseCoin } from '../../amount.ts';
import { arg, stringFlag, type CommandContext } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { checkAddress } from '../../node-client.ts';
import { registryMsgs } from '../../../sdk/registry/messages.ts';
import { type Eval, ModelKind, type RoyaltyRecipient } from '../../../proto/gen/cairn/registry/v1/types.ts';
import { enumByName, listFlag, parseHash, parseSpec, sendRegistryTx } from './client.ts';

/** "name=mmlu,hash=<64 hex>,uri=https://…" */
export function parseEval(text: string): Eval {
  const what = `--eval "${text}"`;
  const spec = parseSpec(text, what, ['name', 'hash', 'uri']);
  return { name: spec.get('name') ?? '', hash: parseHash(spec.get('hash') ?? '', `${what}: hash`), uri: spec.get('uri') ?? '' };
}

/** "<address>=<weight bps>" */
export function parseRecipient(text: string): RoyaltyRecipient {
  const [address, weight] = text.split('=');
  if (address === undefined || weight === undefined || !/^\d{1,5}$/.test(weight)) {
    throw new UsageError(`--recipient "${text}" must be <address>=<weight in bps>, e.g. cairn1…=10000`);
  }
  return { address: checkAddress(address, 'recipient'), weightBps: Number(weight) };
}

function royalty(ctx: CommandContext, sender: string): { royaltyBps: number; recipients: RoyaltyRecipient[] } {
  const bps = stringFlag(ctx, 'royalty-bps') ?? '0';
  if (!/^\d{1,5}$/.test(bps)) throw new UsageError(`--royalty-bps "${bps}" must be a whole number of basis points (100 = 1%)`);
  const given = listFlag(ctx, 'recipient').map(parseRecipient);
  // With a royalty and no --recipient, the author receives it all.
  const recipients = given.length === 0 && Number(bps) > 0 ? [{ address: sender, weightBps: 10_000 }] : given;
  return { royaltyBps: Number(bps), recipients };
}

function required(ctx: CommandContext, name: string, hint: string): string {
  const v = stringFlag(ctx, name);
  if (v === undefined) throw new UsageError(`--${name} is required: ${hint}`);
  return v;
}

export async function registerModel(ctx: CommandContext): Promise<void> {
  const id = arg(ctx, 1);
  const kind = enumByName(ModelKind, 'MODEL_KIND_', stringFlag(ctx, 'kind') ?? 'base', '--kind');
  const baseModelId = stringFlag(ctx, 'base') ?? '';
  if (kind === ModelKind.MODEL_KIND_ADAPTER && baseModelId === '') throw new UsageError('an adapter needs --base <base model id>');
  const contentHash = required(ctx, 'content-hash', 'sha256:<64 hex> or an IPFS CID of the weights');
  const license = required(ctx, 'license', 'an SPDX id such as Apache-2.0, or LicenseRef-<name>');
  const evals = listFlag(ctx, 'eval').map(parseEval);
  const previousVersion = stringFlag(ctx, 'previous-version') ?? '';
  await sendRegistryTx(ctx, (author) => [
    registryMsgs.MsgRegisterModel({ author, id, kind, baseModelId, contentHash, license, evals, previousVersion, ...royalty(ctx, author) }),
  ]);
}

export async function updateModel(ctx: CommandContext): Promise<void> {
  const id = arg(ctx, 1);
  const license = required(ctx, 'license', 'the new terms replace the old ones entirely');
  const evals = listFlag(ctx, 'eval').map(parseEval);
  await sendRegistryTx(ctx, (author) => [registryMsgs.MsgUpdateModel({ author, id, license, evals, ...royalty(ctx, author) })]);
}

export async function deprecateModel(ctx: CommandContext): Promise<void> {
  const id = arg(ctx, 1);
  await sendRegistryTx(ctx, (author) => [registryMsgs.MsgDeprecateModel({ author, id })]);
}

export async function serveModel(ctx: CommandContext): Promise<void> {
  const modelId = arg(ctx, 1);
  const pricePerUnit = coinToChain(parseCoin(arg(ctx, 2), { what: 'price per unit' }));
  await sendRegistryTx(ctx, (operator) => [registryMsgs.MsgServeModel({ operator, modelId, pricePerUnit })]);
}

export async function stopServing(ctx: CommandContext): Promise<void> {
  const modelId = arg(ctx, 1);
  await sendRegistryTx(ctx, (operator) => [registryMsgs.MsgStopServing({ operator, modelId })]);
}
