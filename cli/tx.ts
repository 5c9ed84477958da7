// Signing, fees and broadcasting shared by every `cairn tx …` command, on top of CosmJS's
// SigningStargateClient. The only thing done by hand is splitting signAndBroadcast into sign +
// broadcastTx, so that the tx hash is known even when the node rejects the tx or inclusion times out.
import { sha256 } from '@cosmjs/crypto';
import { fromHex, toHex } from '@cosmjs/encoding';
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { type EncodeObject, encodePubkey, type OfflineDirectSigner } from '@cosmjs/proto-signing';
import { BroadcastTxError, calculateFee, GasPrice, SigningStargateClient, TimeoutError } from '@cosmjs/stargate';
import type { StdFee } from '@cosmjs/stargate';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { Tx, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { coinToChain, formatCoins, parseCoins, parseGasLimit, parseGasPrice, parseHeight, parseRatio, scaleUp } from './amount.ts';
import type { Coin, Ratio } from './amount.ts';
import type { CommandContext, Printable } from './context.ts';
import { arg, stringFlag } from './context.ts';
import { CliError, messageOf, UsageError } from './errors.ts';
import { connectNode, type NodeConnection, nodeError, resolveChainId } from './node-client.ts';
import { fields } from './output.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';

export const DEFAULT_GAS_LIMIT = 200_000;

/** Every message type a `cairn tx …` command can sign: the Cosmos SDK's, slashing's MsgUnjail, and Cairn's own. */
export const CAIRN_TX_TYPES = cairnRegistry();
export const DEFAULT_GAS_ADJUSTMENT: Ratio = { numerator: 14n, denominator: 10n };
export const DEFAULT_BROADCAST_TIMEOUT_MS = 60_000;
/** Blocks come about once a second; CosmJS's default 3 s poll would add most of that as latency. */
export const POLL_INTERVAL_MS = 500;

/** How the fee is chosen: an explicit fee, or gas × price, or nothing (the node may refuse). */
export interface FeeChoice {
  readonly gas: number | 'auto';
  readonly gasAdjustment: Ratio;
  readonly fees?: readonly Coin[];
  /** e.g. "0.025ucairn" */
  readonly gasPrice?: string;
}

export interface BroadcastOptions {
  readonly memo?: string;
  readonly timeoutHeight?: bigint;
  /** Default 60 s. */
  readonly broadcastTimeoutMs?: number;
  /** With --chain-id: refuse to sign if the node serves another chain. */
  readonly chainId?: string;
  /** Told when the tx is signed again because another tx of the same account was pending. */
  readonly note?: (message: string) => void;
}

/** What happened to a transaction. Amounts of gas are bigint; `height` 0 means not in a block. */
export interface TxResult {
  readonly txhash: string;
  readonly code: number;
  readonly codespace: string;
  readonly height: number;
  readonly gasWanted: bigint;
  readonly gasUsed: bigint;
  readonly log: string;
  readonly fee: { readonly amount: readonly Coin[]; readonly gas: bigint };
  readonly events: ReadonlyArray<{ readonly type: string; readonly attributes: ReadonlyArray<{ readonly key: string; readonly value: string }> }>;
  /** Set when the node refused the tx before a block (CheckTx). */
  readonly rejectedAtCheckTx: boolean;
  /** The gas limit came from a simulation (--gas auto). */
  readonly gasSimulated?: boolean;
}

/** The transaction was refused or failed; the result has already been printed. */
export class TxFailedError extends CliError {
  override name = 'TxFailedError';
  readonly result: TxResult;
  constructor(result: TxResult) {
    super(`transaction ${result.txhash} failed with code ${result.code} (codespace ${result.codespace || 'none'}): ${sdkHint(result) ?? (result.log || hintFor(result))}`);
    this.result = result;
  }
}

/** Reads --fees, --gas, --gas-prices, --gas-adjustment. */
export function feeChoiceFromFlags(ctx: Pick<CommandContext, 'flags'>): FeeChoice {
  const fees = stringFlag(ctx, 'fees');
  const gasPrice = stringFlag(ctx, 'gas-prices');
  if (fees !== undefined && gasPrice !== undefined) {
    throw new UsageError('give either --fees or --gas-prices, not both: --fees is the total, --gas-prices is per unit of gas');
  }
  const gasText = stringFlag(ctx, 'gas');
  const adjustment = stringFlag(ctx, 'gas-adjustment');
  return {
    gas: gasText === undefined ? DEFAULT_GAS_LIMIT : parseGasLimit(gasText),
    gasAdjustment: adjustment === undefined ? DEFAULT_GAS_ADJUSTMENT : parseRatio(adjustment, '--gas-adjustment'),
    ...(fees === undefined ? {} : { fees: parseCoins(fees, { allowZero: true, what: '--fees' }) }),
    ...(gasPrice === undefined ? {} : { gasPrice: parseGasPrice(gasPrice) }),
  };
}

/** Reads --memo, --timeout-height, --broadcast-timeout (and the global --chain-id). */
export function broadcastOptionsFromFlags(ctx: Pick<CommandContext, 'flags' | 'global' | 'note'>): BroadcastOptions {
  const memo = stringFlag(ctx, 'memo');
  const timeoutHeight = stringFlag(ctx, 'timeout-height');
  const timeout = stringFlag(ctx, 'broadcast-timeout');
  let broadcastTimeoutMs: number | undefined;
  if (timeout !== undefined) {
    if (!/^\d+$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 3600) {
      throw new UsageError(`--broadcast-timeout "${timeout}" must be a number of seconds from 1 to 3600`);
    }
    broadcastTimeoutMs = Number(timeout) * 1000;
  }
  return {
    ...(memo === undefined ? {} : { memo }),
    ...(timeoutHeight === undefined ? {} : { timeoutHeight: parseHeight(timeoutHeight, '--timeout-height') }),
    ...(broadcastTimeoutMs === undefined ? {} : { broadcastTimeoutMs }),
    ...(ctx.global.chainId === undefined ? {} : { chainId: ctx.global.chainId }),
    note: (message) => ctx.note(message),
  };
}

/** How many times a tx refused behind a pending tx of the same account is signed again. */
const PENDING_RETRIES = 5;

/**
 * Signs `messages` as `sender` with SIGN_MODE_DIRECT, broadcasts, and waits for the block.
 * A tx refused by CheckTx or failing in its block is returned with code != 0, not thrown.
 *
 * A tx that CheckTx refused because another tx of the same account is still in the mempool (the
 * sequence it expects is past the committed one the tx was signed with: a second terminal, a
 * gateway or the dev chain's own helpers using the key) changed nothing, so it is signed again with
 * the new sequence once a block has passed, up to PENDING_RETRIES times.
 */
export async function signAndBroadcast(
  connection: NodeConnection,
  signer: OfflineDirectSigner,
  sender: string,
  messages: readonly EncodeObject[],
  feeChoice: FeeChoice,
  options: BroadcastOptions = {},
): Promise<TxResult> {
  await resolveChainId(connection, options.chainId);
  for (let retry = 1; ; retry++) {
    const result = await signAndBroadcastOnce(connection, signer, sender, messages, feeChoice, options);
    if (retry > PENDING_RETRIES || !behindPendingTx(result)) return result;
    options.note?.(`another transaction from ${sender} is pending (${result.log}); signing again after the next block (${retry}/${PENDING_RETRIES})`);
    await nextBlock(connection, options.broadcastTimeoutMs ?? DEFAULT_BROADCAST_TIMEOUT_MS);
  }
}

/** CheckTx's sequence mismatch with an expected sequence ahead of the signed one. */
function behindPendingTx(r: TxResult): boolean {
  if (!r.rejectedAtCheckTx || r.code !== 32 || r.codespace !== 'sdk') return false;
  const m = /expected (\d+), got (\d+)/.exec(r.log);
  return m !== null && BigInt(m[1]!) > BigInt(m[2]!);
}

async function nextBlock(connection: NodeConnection, timeoutMs: number): Promise<void> {
  const start = await connection.stargate.getHeight();
  const deadline = Date.now() + timeoutMs;
  while ((await connection.stargate.getHeight()) <= start) {
    if (Date.now() > deadline) throw new CliError(`the chain made no block within ${timeoutMs / 1000} s: check that the node is running and making blocks (\`cairn status\`)`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

async function signAndBroadcastOnce(
  connection: NodeConnection,
  signer: OfflineDirectSigner,
  sender: string,
  messages: readonly EncodeObject[],
  feeChoice: FeeChoice,
  options: BroadcastOptions,
): Promise<TxResult> {
  const account = await connection.stargate.getAccount(sender);
  if (account === null) {
    throw new CliError(
      `the sender ${sender} has no account on chain ${await connection.stargate.getChainId()} yet: an account exists once it has received tokens, so fund it first`,
    );
  }
  const timeoutMs = options.broadcastTimeoutMs ?? DEFAULT_BROADCAST_TIMEOUT_MS;
  const client = SigningStargateClient.createWithSigner(connection.comet, signer, {
    registry: CAIRN_TX_TYPES,
    broadcastTimeoutMs: timeoutMs,
    broadcastPollIntervalMs: POLL_INTERVAL_MS,
  });
  const memo = options.memo ?? '';
  const gasLimit = feeChoice.gas === 'auto' ? await simulateGas(connection, signer, sender, account.sequence, messages, memo, feeChoice.gasAdjustment) : BigInt(feeChoice.gas);
  const fee = buildFee(feeChoice, gasLimit);
  const txRaw = await client.sign(sender, messages, fee, memo, undefined, options.timeoutHeight);
  const txBytes = TxRaw.encode(txRaw).finish();
  const txhash = toHex(sha256(txBytes)).toUpperCase();
  const usedFee = { amount: fee.amount.map((coin) => ({ denom: coin.denom, amount: BigInt(coin.amount) })), gas: gasLimit };
  const gasSimulated = feeChoice.gas === 'auto';
  try {
    const delivered = await client.broadcastTx(txBytes, timeoutMs, POLL_INTERVAL_MS);
    const base = {
      txhash,
      code: delivered.code,
      codespace: '',
      height: delivered.height,
      gasWanted: delivered.gasWanted,
      gasUsed: delivered.gasUsed,
      log: delivered.rawLog ?? '',
      fee: usedFee,
      events: delivered.events.map((event) => ({ type: event.type, attributes: event.attributes.map(({ key, value }) => ({ key, value })) })),
      rejectedAtCheckTx: false,
      gasSimulated,
    };
    // CosmJS's DeliverTxResponse has no codespace; ask the node for the indexed result.
    return delivered.code === 0 ? base : { ...base, codespace: await codespaceOf(connection, txhash) };
  } catch (error) {
    if (error instanceof BroadcastTxError) {
      return {
        txhash,
        code: error.code,
        codespace: error.codespace,
        height: 0,
        gasWanted: gasLimit,
        gasUsed: 0n,
        log: error.log ?? '',
        fee: usedFee,
        events: [],
        rejectedAtCheckTx: true,
        gasSimulated,
      };
    }
    if (txIndexOff(error)) {
      throw new CliError(
        `transaction ${txhash} was accepted by the node, but the node cannot say whether it made a block: ${TX_INDEX_OFF_HINT}`,
      );
    }
    if (error instanceof TimeoutError) {
      throw new CliError(
        `transaction ${txhash} was accepted by the node but not seen in a block within ${timeoutMs / 1000} s: check later with \`cairn query tx ${txhash}\``,
      );
    }
    throw error;
  }
}

/** The fee CosmJS will sign: explicit coins, gas × price (rounded up by CosmJS), or none. */
export function buildFee(choice: FeeChoice, gasLimit: bigint): StdFee {
  if (gasLimit > BigInt(Number.MAX_SAFE_INTEGER)) throw new CliError(`gas limit ${gasLimit} is too large`);
  if (choice.gasPrice !== undefined) return calculateFee(Number(gasLimit), GasPrice.fromString(choice.gasPrice));
  return { amount: (choice.fees ?? []).map(coinToChain), gas: gasLimit.toString() };
}

/**
 * Gas used by `messages` in a simulation on the node. The request is CosmJS's (an unsigned tx with
 * the sender's key and sequence), sent through abci_query directly so that a refusal keeps its
 * codespace: CosmJS's own simulate drops it, and a module's code 5 is not the SDK's "insufficient funds".
 */
async function simulateGas(
  connection: NodeConnection,
  signer: OfflineDirectSigner,
  sender: string,
  sequence: number,
  messages: readonly EncodeObject[],
  memo: string,
  adjustment: Ratio,
): Promise<bigint> {
  const account = (await signer.getAccounts()).find((a) => a.address === sender);
  if (account === undefined) throw new CliError(`the key does not hold ${sender}`);
  const tx = Tx.fromPartial({
    body: { messages: messages.map((m) => CAIRN_TX_TYPES.encodeAsAny(m)), memo },
    authInfo: { fee: {}, signerInfos: [{ publicKey: encodePubkey(encodeSecp256k1Pubkey(account.pubkey)), sequence: BigInt(sequence), modeInfo: { single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } } }] },
    signatures: [new Uint8Array()],
  });
  const r = await connection.comet.abciQuery({ path: '/cosmos.tx.v1beta1.Service/Simulate', data: SimulateRequest.encode(SimulateRequest.fromPartial({ txBytes: Tx.encode(tx).finish() })).finish() });
  if ((r.code ?? 0) !== 0) {
    const failed = { code: r.code ?? 0, codespace: r.codespace, log: r.log ?? '' };
    const hint = sdkHint(failed);
    throw new CliError(`the transaction would fail, so nothing was sent (simulation, ${failed.codespace || 'sdk'}/${failed.code}): ${failed.log}${hint === undefined ? '' : `; ${hint}`}`);
  }
  const gasUsed = SimulateResponse.decode(r.value).gasInfo?.gasUsed;
  if (gasUsed === undefined) throw new CliError('the node answered the simulation without gas info');
  return scaleUp(gasUsed, adjustment);
}

/** What to do when the node's CometBFT keeps no kv tx index (config.toml [tx_index] indexer = "psql" or "null"). */
export const TX_INDEX_OFF_HINT =
  'its CometBFT keeps no kv tx index (config.toml [tx_index] indexer = "psql" or "null"), so it cannot look txs up; use a node with indexer = "kv" (--node), or find the tx in an explorer that reads the PostgreSQL index';

/** CometBFT's answer to tx and tx_search when it indexes into PostgreSQL, or not at all. */
export function txIndexOff(error: unknown): boolean {
  return /is not supported|indexing is disabled/i.test(messageOf(error));
}

async function codespaceOf(connection: NodeConnection, txhash: string): Promise<string> {
  try {
    const indexed = await connection.comet.tx({ hash: fromHex(txhash) });
    return indexed.result.codespace ?? '';
  } catch {
    return '';
  }
}

type FailedResult = { readonly code: number; readonly codespace: string; readonly log: string; readonly gasSimulated?: boolean };

/** What to do about a failed transaction: the SDK's advice for its codes, else where the reason is. */
export function hintFor(result: FailedResult): string {
  return sdkHint(result) ?? (result.log === '' ? 'the node gave no reason: look at its log' : 'the log above says why');
}

/** Advice for the Cosmos SDK's codes (codespace "sdk"); undefined for module errors, whose log says it. */
function sdkHint(result: FailedResult): string | undefined {
  if (result.codespace === 'sdk' || result.codespace === '') {
    switch (result.code) {
      case 4:
        return 'the signature did not verify: check --chain-id and that the key is the sender';
      case 5:
        return 'insufficient funds: the amount plus the fee exceeds the balance; check it with `cairn query bank balances <address>`';
      case 7:
        return 'an address is invalid: Cairn addresses start with cairn1';
      case 10:
        return 'the coins are invalid: write amounts like 100ucairn';
      case 11:
        return result.gasSimulated === true
          ? 'out of gas: the simulation underestimated it; raise --gas-adjustment (e.g. 2) or give --gas explicitly'
          : 'out of gas: raise --gas, or use --gas auto';
      case 12:
        return 'the memo is too long: shorten --memo';
      case 13:
        return "the fee is below the node's minimum gas price: raise --fees, or use --gas-prices with the node's price";
      case 19:
        return 'the same transaction is already in the mempool: wait for the next block';
      case 21:
        return 'the transaction is too large';
      case 28:
        return 'wrong chain id: check --chain-id';
      case 30:
        return 'the chain passed --timeout-height before the transaction was included: use a later height';
      case 32:
        return 'account sequence mismatch: another transaction from this account is pending; wait for the next block and retry';
      default:
        break;
    }
  }
  return undefined;
}

export function txResultPrintable(result: TxResult, extraRows: ReadonlyArray<readonly [string, string]> = []): Printable {
  return {
    json: {
      txhash: result.txhash,
      code: result.code,
      codespace: result.codespace,
      height: result.height,
      gasWanted: result.gasWanted,
      gasUsed: result.gasUsed,
      fee: { amount: result.fee.amount.map(coinToChain), gas: result.fee.gas },
      log: result.log,
      events: result.events,
      ...(result.code === 0 ? {} : { hint: hintFor(result) }),
    },
    text: () => {
      const rows: Array<[string, string]> = [
        ['txhash', result.txhash],
        ['code', result.code === 0 ? '0 (success)' : `${result.code} (failed)`],
        ['height', result.rejectedAtCheckTx ? 'not included (refused by the node before a block)' : String(result.height)],
        ['gas', result.rejectedAtCheckTx ? `${result.gasWanted} wanted` : `${result.gasUsed} used of ${result.gasWanted} wanted`],
        ['fee', result.fee.amount.length === 0 ? 'none' : formatCoins(result.fee.amount)],
      ];
      if (result.code !== 0) {
        rows.push(['codespace', result.codespace || '(none)'], ['log', result.log || '(empty)'], ['hint', hintFor(result)]);
      }
      return fields([...rows, ...extraRows]);
    },
  };
}

/**
 * What every module's `cairn tx …` command does: sign `build(sender)` with the key named by the first
 * argument, broadcast it with the fee and options from the flags, and print the result (with
 * `extraRows` on success). A tx that fails on chain throws TxFailedError after printing.
 */
export async function sendWithKey(
  ctx: CommandContext,
  build: (sender: string) => EncodeObject[],
  extraRows: (result: TxResult) => Array<[string, string]> = () => [],
): Promise<TxResult> {
  const fee = feeChoiceFromFlags(ctx);
  const options = broadcastOptionsFromFlags(ctx);
  const keyring = await ctx.keyring();
  const key = await keyring.show(arg(ctx, 0));
  const messages = build(key.address);
  const connection = await connectNode(ctx.global.node);
  try {
    const result = await signAndBroadcast(connection, await keyring.signer(key.name), key.address, messages, fee, options);
    ctx.print(txResultPrintable(result, result.code === 0 ? extraRows(result) : []));
    if (result.code !== 0) throw new TxFailedError(result);
    return result;
  } catch (error) {
    throw nodeError(ctx.global.node, error);
  } finally {
    connection.disconnect();
  }
}

/** The values of `key` in every event of `type` in a tx result. */
export function eventAttributes(r: TxResult, type: string, key: string): string[] {
  return r.events.filter((e) => e.type === type).flatMap((e) => e.attributes.filter((a) => a.key === key).map((a) => a.value));
}

/** An attribute of the first event of `type` in a tx result. */
export function eventAttribute(r: TxResult, type: string, key: string): string | undefined {
  return r.events.find((e) => e.type === type)?.attributes.find((a) => a.key === key)?.value;
}
