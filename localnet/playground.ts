// The playground: GPU operators (bonded, GPUs committed and attested by the dev verifier, serving a
// model and an adapter with royalty terms), the author of both, and a payer with escrow and an
// authorised payer key: what `cairn localnet up --operators M` and `cairn dev` start with, so that
// receipts can be signed, batched, submitted and paid at once.
//
// Two steps. `planPlayground` (before genesis) makes the keys and key files, and `fundPlayground`
// funds the accounts in the genesis. `setUpPlayground` (once the chain makes blocks) sends ordinary
// transactions, signed with CosmJS like any client's: the chain checks every step as it would
// anyone's, and nothing is written into the genesis that a message could not have produced.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createProtobufRpcClient, GasPrice, QueryClient, SigningStargateClient, type DeliverTxResponse } from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { fromBech32 } from '@cosmjs/encoding';
import { BECH32_LIMIT } from '../core/framework/address.ts';
import { Keyring } from '../sdk/keyring/keyring.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';
import { ed25519FromSeed, generateEd25519 } from '../sdk/ed25519.ts';
import { sha256 } from '../sdk/hash.ts';
import { devVerifier } from '../sdk/registry/dev-verifier.ts';
import { registryMsgs } from '../sdk/registry/messages.ts';
import { attestationFields, attestationSignBytes } from '../sdk/registry/sign-bytes.ts';
import { receiptsMsgs } from '../sdk/receipts/messages.ts';
import { GpuTier, ModelKind, OperatorStatus, TeeType } from '../proto/gen/cairn/registry/v1/types.ts';
import { QueryOperatorRequest, QueryOperatorResponse } from '../proto/gen/cairn/registry/v1/query.ts';
import { QueryEscrowRequest, QueryEscrowResponse } from '../proto/gen/cairn/receipts/v1/query.ts';
import { QueryOpenChallengesRequest, QueryOpenChallengesResponse } from '../proto/gen/cairn/emission/v1/query.ts';
import { emissionMsgs } from '../sdk/emission/messages.ts';
import { capacitySignBytes } from '../sdk/emission/sign-bytes.ts';
import { addGenesisAccount, type AppState } from '../node/genesis.ts';

const CAIRN = 1_000_000n;
const DENOM = 'ucairn';
/** The registry's default min_operator_bond. */
export const OPERATOR_BOND = 100n * CAIRN;
export const PAYER_ESCROW = 1000n * CAIRN;
/** Each account's spare balance for fees (the payer's also for more escrow). */
const SPARE = 1000n * CAIRN;
export const MODEL_ID = 'cairn-dev/llama-3.1-8b';
export const ADAPTER_ID = 'cairn-dev/llama-3.1-8b-chat';
/** The model's and the adapter's royalties, to the author. */
export const MODEL_ROYALTY_BPS = 300;
export const ADAPTER_ROYALTY_BPS = 200;
/** ucairn per token (unit), for the model and the adapter. */
export const PRICE_PER_UNIT = 2n;
export const GPU_ID = 'g0';
/** Attestations are valid this long (the registry's default maximum is 30 days). */
const ATTESTATION_SECONDS = 29n * 86_400n;
const GAS_PRICE = '0.025ucairn';

export interface PlaygroundAccount {
  /** Key name in the playground's test keyring. */
  readonly key: string;
  readonly address: string;
}

export interface PlaygroundOperator extends PlaygroundAccount {
  /** Seed file of its receipt key (ed25519), and the public key in hex. */
  readonly receiptKeyFile: string;
  readonly receiptKey: string;
  /** The registered endpoint: a reserved .invalid name, since no inference server runs here. */
  readonly endpoint: string;
  readonly gpuId: string;
}

export interface Playground {
  /** The directory of the test keyring (keyring-test/) holding every key below. */
  readonly keyringDir: string;
  readonly model: string;
  readonly adapter: string;
  readonly author: PlaygroundAccount;
  readonly payer: PlaygroundAccount & { readonly payerKeyFile: string; readonly payerKey: string };
  readonly operators: readonly PlaygroundOperator[];
  /** The height whose block held the last setup transaction; absent until set up. */
  setUpAtHeight?: number;
}

export interface PlanOptions {
  readonly keyringDir: string;
  /** Where the receipt and payer key seed files go (created, mode 0600 files). */
  readonly filesDir: string;
  readonly operators: number;
  /** Derive the accounts from this mnemonic at m/44'/118'/0'/0/{1,2,…} (the dev chain); default: new keys. */
  readonly mnemonic?: string;
}

/** Makes the keys (test keyring) and the ed25519 key files; nothing touches a chain. */
export async function planPlayground(opts: PlanOptions): Promise<Playground> {
  if (!Number.isInteger(opts.operators) || opts.operators < 0 || opts.operators > 50) throw new RangeError(`operators must be 0 to 50, got ${opts.operators}`);
  const keyring = new Keyring({ dir: opts.keyringDir, backend: 'test' });
  await mkdir(opts.filesDir, { recursive: true });
  let index = 0;
  // A key or file left by an earlier, interrupted run is reused, so a retry does not trip on it.
  const account = async (key: string): Promise<PlaygroundAccount> => {
    index += 1;
    const hdPath = `m/44'/118'/0'/0/${index}`;
    if (await keyring.has(key)) return { key, address: (await keyring.show(key)).address };
    const added = await keyring.add(key, opts.mnemonic === undefined ? {} : { mnemonic: opts.mnemonic, hdPath });
    return { key, address: added.key.address };
  };
  const seedFile = async (name: string): Promise<{ file: string; publicKey: string }> => {
    const file = resolve(opts.filesDir, name);
    const old = await readFile(file, 'utf8').catch(() => undefined);
    if (old !== undefined && /^[0-9a-f]{64}$/.test(old.trim())) return { file, publicKey: Buffer.from(ed25519FromSeed(new Uint8Array(Buffer.from(old.trim(), 'hex'))).publicKey).toString('hex') };
    const { seed, signer } = generateEd25519();
    await writeFile(file, `${Buffer.from(seed).toString('hex')}\n`, { mode: 0o600 });
    return { file, publicKey: Buffer.from(signer.publicKey).toString('hex') };
  };
  const author = await account('author');
  const payerAccount = await account('payer');
  const payerKey = await seedFile('payer.key');
  const operators: PlaygroundOperator[] = [];
  for (let i = 0; i < opts.operators; i++) {
    const a = await account(`operator${i}`);
    const receipt = await seedFile(`operator${i}.receipt-key`);
    operators.push({ ...a, receiptKeyFile: receipt.file, receiptKey: receipt.publicKey, endpoint: `https://operator${i}.playground.invalid/v1`, gpuId: GPU_ID });
  }
  return {
    keyringDir: resolve(opts.keyringDir),
    model: MODEL_ID,
    adapter: ADAPTER_ID,
    author,
    payer: { ...payerAccount, payerKeyFile: payerKey.file, payerKey: payerKey.publicKey },
    operators,
  };
}

/** Funds the playground's accounts in a genesis app_state. */
export function fundPlayground(appState: AppState, p: Playground): AppState {
  let next = addGenesisAccount(appState, p.author.address, [{ denom: DENOM, amount: SPARE }]);
  next = addGenesisAccount(next, p.payer.address, [{ denom: DENOM, amount: PAYER_ESCROW + SPARE }]);
  for (const o of p.operators) next = addGenesisAccount(next, o.address, [{ denom: DENOM, amount: OPERATOR_BOND + SPARE }]);
  return next;
}

const coin = (amount: bigint): { denom: string; amount: string } => ({ denom: DENOM, amount: amount.toString() });
const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));

function modelMsg(author: string, id: string, kind: ModelKind, royaltyBps: number, baseModelId = ''): EncodeObject {
  return registryMsgs.MsgRegisterModel({
    author,
    id,
    kind,
    baseModelId,
    // Not real weights: a stable hash of the id, so the manifest is well formed.
    contentHash: `sha256:${Buffer.from(sha256(new TextEncoder().encode(id))).toString('hex')}`,
    license: 'Apache-2.0',
    evals: [],
    royaltyBps,
    recipients: [{ address: author, weightBps: 10_000 }],
    previousVersion: '',
  });
}

function operatorMsgs(o: PlaygroundOperator, chainId: string, blockTime: bigint): EncodeObject[] {
  const gpu = {
    id: o.gpuId,
    model: 'H100-80GB',
    vramGb: 80,
    count: 8,
    tier: GpuTier.GPU_TIER_DATACENTER,
    teeTypes: [TeeType.TEE_TYPE_SEV_SNP],
    pricePerHour: coin(2n * CAIRN),
    reservable: true,
  };
  // A stand-in report: what a real verifier would have checked is not checked here, only signed.
  const attestation = {
    gpuId: o.gpuId,
    teeType: TeeType.TEE_TYPE_SEV_SNP,
    measurement: sha256(new TextEncoder().encode(`measurement ${o.address}`)),
    reportHash: sha256(new TextEncoder().encode(`report ${o.address}`)),
    issuedAt: blockTime - 60n,
    expiresAt: blockTime - 60n + ATTESTATION_SECONDS,
  };
  const verifier = devVerifier();
  const signature = verifier.sign(attestationSignBytes(attestationFields(chainId, fromBech32(o.address, BECH32_LIMIT).data, attestation)));
  return [
    registryMsgs.MsgRegisterOperator({ operator: o.address, moniker: o.key, endpoints: [o.endpoint], region: 'local', linkedHosts: [], receiptKey: bytes(o.receiptKey), bond: coin(OPERATOR_BOND) }),
    registryMsgs.MsgCommitGpus({ operator: o.address, gpus: [gpu] }),
    registryMsgs.MsgSubmitAttestation({ ...attestation, operator: o.address, verifier: verifier.publicKey, signature }),
  ];
}

export class PlaygroundError extends Error {
  override readonly name = 'PlaygroundError';
}

/**
 * Sends the setup transactions to the node at `rpc`: the author's model and adapter, the payer's
 * escrow and payer key, and each operator's registration, GPUs and attestation in one round; then
 * each operator serves the model and the adapter. Sets `setUpAtHeight`.
 */
export async function setUpPlayground(p: Playground, opts: { rpc: string; chainId: string; note?: (m: string) => void }): Promise<void> {
  const keyring = new Keyring({ dir: p.keyringDir, backend: 'test' });
  const clients = new Map<string, SigningStargateClient>();
  const client = async (key: string): Promise<SigningStargateClient> => {
    let c = clients.get(key);
    if (c === undefined) {
      c = await SigningStargateClient.connectWithSigner(opts.rpc, await keyring.signer(key), { registry: cairnRegistry(), gasPrice: GasPrice.fromString(GAS_PRICE) });
      clients.set(key, c);
    }
    return c;
  };
  const send = async (who: { key: string; address: string }, msgs: EncodeObject[], what: string): Promise<DeliverTxResponse> => {
    const r = await (await client(who.key)).signAndBroadcast(who.address, msgs, 'auto', 'cairn playground');
    if (r.code !== 0) throw new PlaygroundError(`${what} failed: code ${r.code}: ${r.rawLog ?? ''}`);
    return r;
  };
  try {
    const first = await client(p.author.key);
    if ((await first.getChainId()) !== opts.chainId) throw new PlaygroundError(`the node at ${opts.rpc} is not on chain ${opts.chainId}`);
    const blockTime = BigInt(Math.floor(new Date((await first.getBlock()).header.time).getTime() / 1000));
    opts.note?.(`setting up the playground: ${p.operators.length} operator(s), model ${p.model}, adapter ${p.adapter}, payer ${p.payer.address}`);
    const round1 = await Promise.all([
      send(p.author, [modelMsg(p.author.address, p.model, ModelKind.MODEL_KIND_BASE, MODEL_ROYALTY_BPS), modelMsg(p.author.address, p.adapter, ModelKind.MODEL_KIND_ADAPTER, ADAPTER_ROYALTY_BPS, p.model)], 'registering the model and the adapter'),
      send(p.payer, [receiptsMsgs.MsgDepositEscrow({ payer: p.payer.address, amount: coin(PAYER_ESCROW) }), registryMsgs.MsgAuthorizePayerKey({ payer: p.payer.address, key: bytes(p.payer.payerKey), label: 'playground' })], 'funding the payer’s escrow and key'),
      ...p.operators.map((o) => send(o, operatorMsgs(o, opts.chainId, blockTime), `registering ${o.key}`)),
    ]);
    const round2 = await Promise.all(
      p.operators.map((o) =>
        send(o, [registryMsgs.MsgServeModel({ operator: o.address, modelId: p.model, pricePerUnit: coin(PRICE_PER_UNIT) }), registryMsgs.MsgServeModel({ operator: o.address, modelId: p.adapter, pricePerUnit: coin(PRICE_PER_UNIT) })], `${o.key} serving the model`),
      ),
    );
    p.setUpAtHeight = Math.max(...[...round1, ...round2].map((r) => r.height));
  } finally {
    for (const c of clients.values()) c.disconnect();
  }
}

/**
 * Each validator names its node's watcher key as the signer of its availability reports
 * (`MsgSetAvailabilityReporter`, signed by the validator's own key, the "validator" key of its home's
 * test keyring), so the nodes' probers report the operators' uptime from the first epoch on.
 */
export async function setAvailabilityReporters(validators: readonly { readonly home: string; readonly address: string; readonly reporter: string }[], opts: { rpc: string }): Promise<void> {
  await Promise.all(
    validators.map(async (v) => {
      const client = await SigningStargateClient.connectWithSigner(opts.rpc, await new Keyring({ dir: v.home, backend: 'test' }).signer('validator'), { registry: cairnRegistry(), gasPrice: GasPrice.fromString(GAS_PRICE) });
      try {
        const r = await client.signAndBroadcast(v.address, [emissionMsgs.MsgSetAvailabilityReporter({ validator: v.address, reporter: v.reporter })], 'auto', 'cairn localnet: availability reporter');
        if (r.code !== 0) throw new PlaygroundError(`naming ${v.reporter} the availability reporter of ${v.address} failed: code ${r.code}: ${r.rawLog ?? ''}`);
      } finally {
        client.disconnect();
      }
    }),
  );
}

/**
 * Answers every open capacity challenge of the playground's operators as their benchmark runner
 * would: the dev verifier signs the committed count and the operator sends MsgProveCapacity. Without
 * it, a dev chain's operator would be jailed for fake capacity `capacity_window` blocks after the
 * chain first picked its GPU. Returns how many were answered.
 */
export async function answerCapacityChallenges(p: Playground, opts: { rpc: string; chainId: string }): Promise<number> {
  const comet = await connectComet(opts.rpc);
  const keyring = new Keyring({ dir: p.keyringDir, backend: 'test' });
  let answered = 0;
  try {
    const rpcClient = createProtobufRpcClient(new QueryClient(comet));
    for (const o of p.operators) {
      const open = QueryOpenChallengesResponse.decode(await rpcClient.request('cairn.emission.v1.Query', 'OpenChallenges', QueryOpenChallengesRequest.encode({ operator: o.address }).finish())).challenges;
      if (open.length === 0) continue;
      const verifier = devVerifier();
      const msgs = open.map((c) =>
        emissionMsgs.MsgProveCapacity({ operator: o.address, challengeId: c.id, measuredCount: c.gpuCount, verifier: verifier.publicKey, signature: verifier.sign(capacitySignBytes(opts.chainId, fromBech32(o.address, BECH32_LIMIT).data, c.id, c.gpuId, c.gpuCount)) }),
      );
      const client = await SigningStargateClient.connectWithSigner(opts.rpc, await keyring.signer(o.key), { registry: cairnRegistry(), gasPrice: GasPrice.fromString(GAS_PRICE) });
      try {
        const r = await client.signAndBroadcast(o.address, msgs, 'auto', 'cairn playground: capacity proof');
        if (r.code !== 0) throw new PlaygroundError(`${o.key} could not prove capacity: code ${r.code}: ${r.rawLog ?? ''}`);
        answered += open.length;
      } finally {
        client.disconnect();
      }
    }
  } finally {
    comet.disconnect();
  }
  return answered;
}

/** The dev chain's record of its playground (<home>/playground/playground.json). */
export function playgroundRecordPath(home: string): string {
  return join(playgroundFilesDir(home), 'playground.json');
}

export async function readPlayground(path: string): Promise<Playground | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as Playground);
}

/** Replaced atomically, like the localnet manifest. */
export async function writePlayground(path: string, p: Playground): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(p, null, 2)}\n`, 'utf8');
  await rename(tmp, path);
}

export interface OperatorReport {
  readonly key: string;
  readonly address: string;
  /** active, jailed, unbonding, tombstoned, or "not registered". */
  readonly status: string;
  readonly bond: string;
  readonly gpus: number;
  readonly endpoint: string;
}

/** Each operator as the chain sees it, and the payer's escrow. */
export async function playgroundStatus(p: Playground, rpc: string): Promise<{ operators: OperatorReport[]; escrow: { available: string; locked: string } | undefined }> {
  const comet = await connectComet(rpc);
  try {
    const rpcClient = createProtobufRpcClient(new QueryClient(comet));
    const operators = await Promise.all(
      p.operators.map(async (o): Promise<OperatorReport> => {
        const base = { key: o.key, address: o.address, endpoint: o.endpoint };
        try {
          const r = QueryOperatorResponse.decode(await rpcClient.request('cairn.registry.v1.Query', 'Operator', QueryOperatorRequest.encode({ address: o.address }).finish()));
          const name = Object.entries(OperatorStatus).find(([, v]) => v === r.operator?.status)?.[0] ?? 'OPERATOR_STATUS_UNSPECIFIED';
          const status = name.replace('OPERATOR_STATUS_', '').toLowerCase();
          return { ...base, status, bond: `${r.operator?.bond?.amount ?? '0'}${r.operator?.bond?.denom ?? ''}`, gpus: r.gpus.reduce((n, g) => n + g.count, 0) };
        } catch {
          return { ...base, status: 'not registered', bond: '0', gpus: 0 };
        }
      }),
    );
    let escrow: { available: string; locked: string } | undefined;
    try {
      const e = QueryEscrowResponse.decode(await rpcClient.request('cairn.receipts.v1.Query', 'Escrow', QueryEscrowRequest.encode({ payer: p.payer.address }).finish())).escrow;
      if (e !== undefined) escrow = { available: `${e.available}${e.denom}`, locked: `${e.locked}${e.denom}` };
    } catch {
      escrow = undefined;
    }
    return { operators, escrow };
  } finally {
    comet.disconnect();
  }
}

/** The key files' directory of a localnet or dev home. */
export function playgroundFilesDir(dir: string): string {
  return join(dir, 'playground');
}
