// Stateless decoding of a TxRaw into what the ante checks and the message router need. Anything
// a byzantine proposer or a fuzzer can send ends here as an AppError, never as a crash.
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { sha256 } from '../crypto/hash.ts';
import type { MsgHandler } from '../framework/module.ts';
import { ErrInvalidRequest, ErrNoSignatures, ErrTxDecode, ErrTxTooLarge, ErrUnauthorized } from '../framework/sdk-errors.ts';
import { registerError } from '../framework/errors.ts';

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

function decodeOrThrow<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    throw ErrTxDecode.wrap(`failed to decode ${what}: ${(err as Error).message}`);
  }
}

export function decodeTx(bytes: Uint8Array, router: MsgRouter, limits: TxLimits): DecodedTx {
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
  if (body.extensionOptions.length > 0 || body.nonCriticalExtensionOptions.length > 0) {
    throw ErrUnknownExtensionOptions.wrap('extension options are not supported');
  }
  if (body.messages.length === 0) throw ErrInvalidRequest.wrap('must contain at least one message');
  if (body.messages.length > limits.maxMsgsPerTx) {
    throw ErrInvalidRequest.wrap(`tx has ${body.messages.length} messages; the maximum is ${limits.maxMsgsPerTx}`);
  }
  const msgs = body.messages.map((any): DecodedMsg => {
    const handler = router.get(any.typeUrl);
    if (handler === undefined) throw ErrTxDecode.wrap(`unable to resolve type URL ${any.typeUrl}`);
    return { handler, typeUrl: any.typeUrl, msg: decodeOrThrow(any.typeUrl, () => handler.decode(any.value)) };
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
  return { bytes, hash: sha256(bytes), raw, body, authInfo, msgs, signers };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
