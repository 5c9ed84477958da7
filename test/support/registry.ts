// Test support for the registry: a chain with small registry params, funded wallets that sign
// registry messages, deterministic ed25519 keys, message builders and a state snapshot to prove
// that a refused message changed nothing.
import { createPrivateKey, createPublicKey, sign as edSign } from 'node:crypto';
import { REGISTRY_QUERY_SERVICE } from '../../sdk/registry/queries.ts';
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { ExecTxResult, ResponseCheckTx } from 'cosmjs-types/tendermint/abci/types';
import { addGenesisAccount, defaultAppState } from '../../node/genesis.ts';
import { moduleAddress } from '../../core/framework/address.ts';
import type { Context } from '../../core/framework/context.ts';
import { EventSink } from '../../core/framework/events.ts';
import { GasMeter, UNLIMITED_GAS } from '../../core/framework/gas.ts';
import { REGISTRY_TYPE_URLS } from '../../sdk/registry/messages.ts';
import { checkRegistryInvariants } from '../../modules/registry/invariants.ts';
import * as keys from '../../modules/registry/keys.ts';
import { type AttestationFields, attestationSignBytes } from '../../sdk/registry/sign-bytes.ts';
import type * as tx from '../../proto/gen/cairn/registry/v1/tx.ts';
import { type GpuCommitment, GpuTier, ModelKind, TeeType } from '../../proto/gen/cairn/registry/v1/types.ts';
import { AppChain, CHAIN_ID } from './app-chain.ts';
import { type TestWallet, signTx, testWallet } from './wallets.ts';

export const DENOM = 'ucairn';
export const MIN_BOND = 1_000_000n;
export const FUNDS = 10_000_000_000n;
export const FEE = 5000n;
export const UNBONDING_BLOCKS = 3n;
export const BONDS_ADDRESS_BYTES = moduleAddress(keys.BONDS_ACCOUNT);

export interface Ed25519Key {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A deterministic ed25519 key from a small seed number. */
export function ed25519Key(seed: number): Ed25519Key {
  const secret = Buffer.alloc(32, 0);
  secret.writeUInt32BE(seed + 1, 28);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, secret]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return {
    publicKey: new Uint8Array(Buffer.from(jwk.x!, 'base64url')),
    sign: (message) => new Uint8Array(edSign(null, message, privateKey)),
  };
}

/** The verifier trusted by default in these tests. */
export const VERIFIER = ed25519Key(900);

export function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** Genesis app_state with funded wallets and registry params small enough for tests. */
export function registryAppState(funded: readonly string[], params: Record<string, unknown> = {}): Record<string, unknown> {
  let state = defaultAppState();
  for (const address of funded) state = addGenesisAccount(state, address, [{ denom: DENOM, amount: FUNDS }]);
  const registry = state['registry'] as { params: Record<string, unknown> };
  registry.params = {
    ...registry.params,
    min_operator_bond: { denom: DENOM, amount: MIN_BOND.toString() },
    operator_unbonding_blocks: UNBONDING_BLOCKS.toString(),
    trusted_verifiers: [b64(VERIFIER.publicKey)],
    ...params,
  };
  // Emission is on in the default genesis; these chains (and the receipts ones built on them) assert
  // exact balances and bonds, so minting and capacity challenges are off unless a test turns them on.
  const emission = state['emission'] as { params: Record<string, unknown> };
  emission.params = { ...emission.params, enabled: false, capacity_challenges_per_epoch: 0 };
  return state;
}

export interface TxError {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
}

export class RegistryChain {
  readonly chain: AppChain;
  readonly wallets: readonly TestWallet[];

  private constructor(chain: AppChain, wallets: readonly TestWallet[]) {
    this.chain = chain;
    this.wallets = wallets;
  }

  /** Four funded wallets (0 and 1 usually operators, 2 an author, 3 a payer) and one empty block. */
  static async start(opts: { params?: Record<string, unknown>; appState?: Record<string, unknown> } = {}): Promise<RegistryChain> {
    const wallets = await Promise.all([0, 1, 2, 3].map((i) => testWallet(i)));
    const chain = await AppChain.start({ appState: opts.appState ?? registryAppState(wallets.map((w) => w.address), opts.params) });
    const rc = new RegistryChain(chain, wallets);
    await rc.block();
    return rc;
  }

  get height(): bigint {
    return this.chain.height;
  }

  /** Block time (unix seconds) the next block will have. */
  get nextBlockTime(): bigint {
    return this.chain.app.committedBlock.time.seconds + 5n;
  }

  async sign(w: TestWallet, msgs: EncodeObject | EncodeObject[], sequenceOffset = 0n): Promise<Uint8Array> {
    const acc = await this.chain.account(w.address);
    return signTx(w, Array.isArray(msgs) ? msgs : [msgs], {
      chainId: CHAIN_ID,
      accountNumber: acc.accountNumber,
      sequence: acc.sequence + sequenceOffset,
      gas: 2_000_000n,
      fee: [{ denom: DENOM, amount: FEE.toString() }],
    });
  }

  /** Signs, puts the tx in a block of its own, checks the registry invariant, returns its result. */
  async tx(w: TestWallet, msgs: EncodeObject | EncodeObject[]): Promise<ExecTxResult> {
    const [result] = await this.block([await this.sign(w, msgs)]);
    return result!;
  }

  /** Like tx, but throws unless the tx succeeded. */
  async ok(w: TestWallet, msgs: EncodeObject | EncodeObject[]): Promise<ExecTxResult> {
    const r = await this.tx(w, msgs);
    if (r.code !== 0) throw new Error(`tx failed: code ${r.code} (${r.codespace}): ${r.log}`);
    return r;
  }

  /**
   * Runs `fn` as another module would during the next block (writes go to the working state), then
   * finalizes and commits that block. Returns the events `fn` emitted.
   */
  async inBlock(fn: (ctx: Context) => Promise<void>): Promise<EventSink> {
    const events = new EventSink();
    const ctx: Context = {
      store: this.chain.store.working,
      block: { chainId: CHAIN_ID, height: this.height + 1n, time: { seconds: this.nextBlockTime, nanos: 0 } },
      mode: 'finalize',
      events,
      gas: new GasMeter(UNLIMITED_GAS),
      addresses: this.chain.app.addresses,
    };
    await fn(ctx);
    await this.block();
    return events;
  }

  async check(w: TestWallet, msgs: EncodeObject | EncodeObject[]): Promise<ResponseCheckTx> {
    return this.chain.checkTx(await this.sign(w, msgs));
  }

  async block(txs: Uint8Array[] = []): Promise<ExecTxResult[]> {
    const results = await this.chain.block(txs);
    const broken = await checkRegistryInvariants(this.chain.store.committed);
    if (broken.length > 0) throw new Error(`registry invariant broken: ${broken.join('; ')}`);
    return results;
  }

  /** Calls the registry's query <method>; throws a TxError-shaped object on failure. */
  async query<Req, Res>(method: string, req: { encode(m: Req): { finish(): Uint8Array } }, res: { decode(b: Uint8Array): Res }, value: Req, height = 0n): Promise<Res> {
    const r = await this.chain.query(`${REGISTRY_QUERY_SERVICE}${method}`, req.encode(value).finish(), height);
    if (r.code !== 0) throw Object.assign(new Error(r.log), { code: r.code, codespace: r.codespace, log: r.log });
    return res.decode(r.value);
  }

  /** Every registry key and value except the per-block time, plus the bonds account balance. */
  async snapshot(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for await (const [k, v] of this.chain.store.committed.iterate({ prefix: keys.STATE_PREFIX })) {
      if (Buffer.from(k).equals(Buffer.from(keys.blockTime.key))) continue;
      out.set(Buffer.from(k).toString('hex'), Buffer.from(v).toString('hex'));
    }
    out.set('bonds-balance', (await this.bondsBalance()).toString());
    return out;
  }

  async bondsBalance(): Promise<bigint> {
    return this.chain.balance(this.chain.app.addresses.encode(BONDS_ADDRESS_BYTES));
  }

  /** Runs `msgs` as `w`, expects the given registry error, and checks that nothing but the fee changed. */
  async expectRefused(w: TestWallet, msgs: EncodeObject | EncodeObject[], code: { code: number; codespace: string }, log?: RegExp | string): Promise<TxError> {
    const before = await this.snapshot();
    const balance = await this.chain.balance(w.address);
    const check = await this.check(w, msgs);
    let result: TxError = check;
    if (check.code === 0) result = await this.tx(w, msgs);
    const charged = check.code === 0 ? FEE : 0n;
    if (result.code !== code.code || result.codespace !== code.codespace) {
      throw new Error(`expected ${code.codespace}/${code.code}, got ${result.codespace}/${result.code}: ${result.log}`);
    }
    if (log !== undefined && !(typeof log === 'string' ? result.log.includes(log) : log.test(result.log))) {
      throw new Error(`log "${result.log}" does not match ${String(log)}`);
    }
    const after = await this.snapshot();
    if (JSON.stringify([...after]) !== JSON.stringify([...before])) throw new Error('registry state changed after a refused message');
    if ((await this.chain.balance(w.address)) !== balance - charged) throw new Error('balance changed by more than the fee');
    return result;
  }
}

// ---- message builders (fields a test does not care about get valid defaults) ----

type Fields<T> = Partial<T>;

function encode<T>(name: keyof typeof REGISTRY_TYPE_URLS, value: T): EncodeObject {
  return { typeUrl: REGISTRY_TYPE_URLS[name], value };
}

export const coin = (amount: bigint, denom = DENOM): { denom: string; amount: string } => ({ denom, amount: amount.toString() });

export function gpu(id: string, f: Fields<GpuCommitment> = {}): GpuCommitment {
  return {
    id,
    model: 'H100-80GB',
    vramGb: 80,
    count: 8,
    tier: GpuTier.GPU_TIER_DATACENTER,
    teeTypes: [TeeType.TEE_TYPE_NONE, TeeType.TEE_TYPE_SEV_SNP],
    pricePerHour: coin(2_000_000n),
    reservable: true,
    ...f,
  };
}

export const msgs = {
  registerOperator: (operator: string, keySeed: number, f: Fields<tx.MsgRegisterOperator> = {}): EncodeObject =>
    encode<tx.MsgRegisterOperator>('MsgRegisterOperator', {
      operator,
      moniker: 'gpu-farm',
      endpoints: ['https://gpu.example.com/v1'],
      region: 'eu-west',
      linkedHosts: ['aleph-crn-0f3a'],
      receiptKey: ed25519Key(keySeed).publicKey,
      bond: coin(MIN_BOND),
      ...f,
    }),
  updateOperator: (operator: string, f: Fields<tx.MsgUpdateOperator> = {}): EncodeObject =>
    encode<tx.MsgUpdateOperator>('MsgUpdateOperator', {
      operator,
      moniker: 'renamed',
      endpoints: ['https://new.example.com'],
      region: 'us-east',
      linkedHosts: [],
      ...f,
    }),
  unjail: (operator: string): EncodeObject => encode<tx.MsgUnjailOperator>('MsgUnjailOperator', { operator }),
  addBond: (operator: string, amount: bigint, denom = DENOM): EncodeObject => encode<tx.MsgAddBond>('MsgAddBond', { operator, amount: coin(amount, denom) }),
  beginUnbond: (operator: string, amount: bigint, denom = DENOM): EncodeObject =>
    encode<tx.MsgBeginUnbond>('MsgBeginUnbond', { operator, amount: coin(amount, denom) }),
  rotateReceiptKey: (operator: string, newKey: Uint8Array): EncodeObject => encode<tx.MsgRotateReceiptKey>('MsgRotateReceiptKey', { operator, newKey }),
  commitGpus: (operator: string, gpus: GpuCommitment[]): EncodeObject => encode<tx.MsgCommitGpus>('MsgCommitGpus', { operator, gpus }),
  registerModel: (author: string, id: string, f: Fields<tx.MsgRegisterModel> = {}): EncodeObject =>
    encode<tx.MsgRegisterModel>('MsgRegisterModel', {
      author,
      id,
      kind: ModelKind.MODEL_KIND_BASE,
      baseModelId: '',
      contentHash: contentHash(id),
      license: 'Apache-2.0',
      evals: [{ name: 'mmlu', hash: new Uint8Array(32).fill(7), uri: 'https://evals.example.com/mmlu.json' }],
      royaltyBps: 500,
      recipients: [{ address: author, weightBps: 10_000 }],
      previousVersion: '',
      ...f,
    }),
  registerAdapter: (author: string, id: string, base: string, f: Fields<tx.MsgRegisterModel> = {}): EncodeObject =>
    msgs.registerModel(author, id, { kind: ModelKind.MODEL_KIND_ADAPTER, baseModelId: base, ...f }),
  updateModel: (author: string, id: string, f: Fields<tx.MsgUpdateModel> = {}): EncodeObject =>
    encode<tx.MsgUpdateModel>('MsgUpdateModel', {
      author,
      id,
      license: 'MIT',
      evals: [],
      royaltyBps: 700,
      recipients: [{ address: author, weightBps: 10_000 }],
      ...f,
    }),
  deprecateModel: (author: string, id: string): EncodeObject => encode<tx.MsgDeprecateModel>('MsgDeprecateModel', { author, id }),
  serveModel: (operator: string, modelId: string, price: bigint, denom = DENOM): EncodeObject =>
    encode<tx.MsgServeModel>('MsgServeModel', { operator, modelId, pricePerUnit: coin(price, denom) }),
  stopServing: (operator: string, modelId: string): EncodeObject => encode<tx.MsgStopServing>('MsgStopServing', { operator, modelId }),
  authorizePayerKey: (payer: string, key: Uint8Array, label = 'gateway'): EncodeObject =>
    encode<tx.MsgAuthorizePayerKey>('MsgAuthorizePayerKey', { payer, key, label }),
  revokePayerKey: (payer: string, key: Uint8Array): EncodeObject => encode<tx.MsgRevokePayerKey>('MsgRevokePayerKey', { payer, key }),
  submitAttestation: (value: tx.MsgSubmitAttestation): EncodeObject => encode<tx.MsgSubmitAttestation>('MsgSubmitAttestation', value),
  updateParams: (authority: string, params: tx.MsgUpdateParams['params']): EncodeObject => encode<tx.MsgUpdateParams>('MsgUpdateParams', { authority, params }),
};

/** A distinct, valid sha256 content hash per label. */
export function contentHash(label: string): string {
  let h = '';
  for (let i = 0; h.length < 64; i++) h += ((label.charCodeAt(i % label.length) + i) % 16).toString(16);
  return `sha256:${h}`;
}

/** An attestation signed by `verifier` (VERIFIER by default) for the operator's GPU. */
export function attestation(
  operatorAddress: Uint8Array,
  operator: string,
  gpuId: string,
  f: { teeType?: TeeType; issuedAt: bigint; expiresAt: bigint; verifier?: Ed25519Key; measurement?: Uint8Array; chainId?: string },
): tx.MsgSubmitAttestation {
  const teeType = f.teeType ?? TeeType.TEE_TYPE_SEV_SNP;
  const measurement = f.measurement ?? new Uint8Array(48).fill(3);
  const reportHash = new Uint8Array(32).fill(9);
  if (teeType === TeeType.TEE_TYPE_NONE) {
    return { operator, gpuId, teeType, measurement: new Uint8Array(), reportHash: new Uint8Array(), issuedAt: f.issuedAt, expiresAt: f.expiresAt, verifier: new Uint8Array(), signature: new Uint8Array() };
  }
  const verifier = f.verifier ?? VERIFIER;
  const fields: AttestationFields = { chainId: f.chainId ?? CHAIN_ID, operator: operatorAddress, gpuId, teeType, measurement, reportHash, issuedAt: f.issuedAt, expiresAt: f.expiresAt };
  return { operator, gpuId, teeType, measurement, reportHash, issuedAt: f.issuedAt, expiresAt: f.expiresAt, verifier: verifier.publicKey, signature: verifier.sign(attestationSignBytes(fields)) };
}
