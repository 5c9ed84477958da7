// Stateless decoding of a TxRaw into what the ante checks and the message router need. Anything
// a byzantine proposer or a fuzzer can send ends here as an AppError, never as a crash.
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { sha256 } from '../crypto/hash.ts';
import type { MsgHandler } from '../framework/module.ts';
import { ErrInvalidRequest, ErrNoSignatures, ErrTxDecode, ErrTxTooLarge, ErrUnauthorized } from '../framework/sdk-errors.ts';
import { registerError } from '../framework/errors.ts';
import { rawField, sameBytes, unknownFields } from './unknown-fields.ts';

export const ErrUnknownExtensionOptions = registerError('sdk', 31, 'unknown extension options');

export interface DecodedMsg {
  readonly handler: MsgHandler;
  readonly msg: unknown;
  readonly typeUrl: string;
}

export interface DecodedTx {
  readonly bytes: Uint8Array;
  readonly hash: Uint8Array;
  readonly raw: TxRaw;
  readonly body: TxBody;
  readonly authInfo: AuthInfo;
  readonly msgs: readonly DecodedMsg[];
  /** Unique signer addresses in order of first appearance; signer_infos and signatures follow this order. */
  readonly signers: readonly string[];
}

export interface TxLimits {
  readonly maxTxBytes: number;
  readonly maxMsgsPerTx: number;
}

export type MsgRouter = ReadonlyMap<string, MsgHandler>;

/** What decoding a tx needs from the app. */
export interface TxDecoding {
  readonly router: MsgRouter;
  readonly limits: TxLimits;
  /** The canonical encoding of a decoded message, to find the fields its decoder skipped. */
  readonly encodeMsg: (typeUrl: string, msg: unknown) => Uint8Array;
}

/** The largest gas limit the SDK accepts (it keeps gas in an int64). */
export const MAX_GAS_WANTED = 2n ** 63n - 1n;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeOrThrow<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    throw ErrTxDecode.wrap(`failed to decode ${what}: ${(err as Error).message}`);
  }
}

/**
 * Refuses fields the decoder skipped (ADR-020), as the SDK's tx decoder does, with its code (sdk/2).
 * Modules call it for the Anys their messages carry (an authorization, an allowance, MsgExec's messages).
 */
export function rejectUnknownFields(what: string, original: Uint8Array, canonical: Uint8Array, allowNonCritical: boolean): void {
  const unknown = unknownFields(original, canonical, allowNonCritical);
  if (unknown.length > 0) throw ErrTxDecode.wrap(`${what} has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; this chain does not understand them`);
}

export function decodeTx(bytes: Uint8Array, env: TxDecoding): DecodedTx {
  const { router, limits } = env;
  if (bytes.length === 0) throw ErrTxDecode.wrap('empty tx bytes');
  if (bytes.length > limits.maxTxBytes) throw ErrTxTooLarge.wrap(`tx size ${bytes.length} exceeds the maximum ${limits.maxTxBytes} bytes`);
  const raw = decodeOrThrow('TxRaw', () => TxRaw.decode(bytes));
  // ADR-027: only the canonical encoding is accepted, so one signed tx has exactly one hash
  // (a lenient decoder would let anyone re-wrap someone's tx in different bytes).
  if (!sameBytes(TxRaw.encode(raw).finish(), bytes)) {
    throw ErrTxDecode.wrap('tx bytes are not the canonical encoding of a TxRaw (unknown fields, wrong order or non-minimal lengths)');
  }
  const body = decodeOrThrow('TxBody', () => TxBody.decode(raw.bodyBytes));
  const authInfo = decodeOrThrow('AuthInfo', () => AuthInfo.decode(raw.authInfoBytes));
  // Unknown fields: non-critical ones (ADR-020) may be ignored in the body and its messages, none in AuthInfo.
  rejectUnknownFields('TxBody', raw.bodyBytes, TxBody.encode(body).finish(), true);
  rejectUnknownFields('AuthInfo', raw.authInfoBytes, AuthInfo.encode(authInfo).finish(), false);
  for (const memo of rawField(raw.bodyBytes, 2)) {
    try {
      strictUtf8.decode(memo);
    } catch {
      throw ErrTxDecode.wrap('memo is not valid UTF-8');
    }
  }
  // Critical extension options would change what the tx means, and this chain knows none; the
  // non-critical ones may be ignored, as the SDK does.
  if (body.extensionOptions.length > 0) throw ErrUnknownExtensionOptions.wrap('extension options are not supported');
  if (body.messages.length === 0) throw ErrInvalidRequest.wrap('must contain at least one message');
  if (body.messages.length > limits.maxMsgsPerTx) {
    throw ErrInvalidRequest.wrap(`tx has ${body.messages.length} messages; the maximum is ${limits.maxMsgsPerTx}`);
  }
  const msgs = body.messages.map((any): DecodedMsg => {
    const handler = router.get(any.typeUrl);
    if (handler === undefined) throw ErrTxDecode.wrap(`unable to resolve type URL ${any.typeUrl}`);
    const msg = decodeOrThrow(any.typeUrl, () => handler.decode(any.value));
    rejectUnknownFields(any.typeUrl, any.value, env.encodeMsg(any.typeUrl, msg), true);
    return { handler, typeUrl: any.typeUrl, msg };
  });
  const signers: string[] = [];
  for (const m of msgs) {
    for (const s of m.handler.signers(m.msg)) if (!signers.includes(s)) signers.push(s);
  }
  if (raw.signatures.length === 0) throw ErrNoSignatures.wrap('no signatures');
  if (raw.signatures.length !== signers.length || authInfo.signerInfos.length !== signers.length) {
    throw ErrUnauthorized.wrap(
      `wrong number of signers; expected ${signers.length}, got ${raw.signatures.length} signatures and ${authInfo.signerInfos.length} signer infos`,
    );
  }
  if (authInfo.fee === undefined) throw ErrTxDecode.wrap('missing fee');
  if (authInfo.fee.gasLimit > MAX_GAS_WANTED) throw ErrInvalidRequest.wrap(`invalid gas supplied; ${authInfo.fee.gasLimit} > ${MAX_GAS_WANTED}`);
  return { bytes, hash: sha256(bytes), raw, body, authInfo, msgs, signers };
}

/**
 * The gas a tx declares (its fee's gas limit), or 0 for bytes that are not a tx: what a proposal's
 * txs count against the block gas limit. Execution gives an undecodable tx gas_wanted 0 too.
 */
export function declaredGas(bytes: Uint8Array): bigint {
  try {
    return AuthInfo.decode(TxRaw.decode(bytes).authInfoBytes).fee?.gasLimit ?? 0n;
  } catch {
    return 0n;
  }
}
