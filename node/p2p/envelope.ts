// The signed envelope of everything gossiped: the operator's receipt key signs a domain tag and the
// body bytes exactly as sent, so a receiver verifies without re-encoding anything.
import { Envelope, SignedBody } from '../../proto/gen/cairn/p2p/v1/gossip.ts';
import type { Attestation } from '../../proto/gen/cairn/registry/v1/types.ts';
import { type Batch, type Ed25519Signer, type Receipt, verifyEd25519 } from '../../sdk/index.ts';
import { ENVELOPE_DOMAIN, envelopeSignBytes } from '../../sdk/registry/evidence.ts';

export interface EnvelopeContext {
  readonly chainId: string;
  readonly operator: string;
  /** The chain height the signer saw; receivers refuse envelopes much older than their own. */
  readonly height: bigint;
}

function seal(body: SignedBody, signer: Ed25519Signer): Uint8Array {
  const bytes = SignedBody.encode(body).finish();
  return Envelope.encode({ body: bytes, signature: signer.sign(envelopeSignBytes(bytes)) }).finish();
}

/** An encoded Envelope carrying every receipt of `batch`, signed by the operator's receipt key. */
export function sealBatch(batch: Pick<Batch, 'header' | 'receipts'>, ctx: EnvelopeContext, signer: Ed25519Signer): Uint8Array {
  return seal(
    { chainId: ctx.chainId, operator: ctx.operator, signerKey: signer.publicKey, height: ctx.height, batch: { root: batch.header.root, receipts: [...batch.receipts] as Receipt[] }, attestations: undefined },
    signer,
  );
}

/** An encoded Envelope carrying attestations the operator vouches for. */
export function sealAttestations(attestations: readonly Attestation[], ctx: EnvelopeContext, signer: Ed25519Signer): Uint8Array {
  return seal(
    { chainId: ctx.chainId, operator: ctx.operator, signerKey: signer.publicKey, height: ctx.height, batch: undefined, attestations: { attestations: [...attestations] } },
    signer,
  );
}

export class EnvelopeDecodeError extends Error {
  override readonly name = 'EnvelopeDecodeError';
}

export interface OpenedEnvelope {
  readonly envelope: Envelope;
  /** Decoded on first use when the envelope was judged at the wire level (batch-wire.ts). */
  readonly body: SignedBody;
  /** The batch's root, without decoding the receipts; undefined for other payloads. */
  readonly root: Uint8Array | undefined;
}

/** Decodes both layers; throws EnvelopeDecodeError for anything protobuf refuses. */
export function openEnvelope(bytes: Uint8Array): OpenedEnvelope {
  try {
    const envelope = Envelope.decode(bytes);
    const body = SignedBody.decode(envelope.body);
    return { envelope, body, root: body.batch?.root };
  } catch (e) {
    throw new EnvelopeDecodeError(`undecodable envelope: ${(e as Error).message}`);
  }
}

/**
 * An envelope whose body is decoded only when someone reads it: the forwarding path reads the root
 * alone, the batch store and the watcher decode later, off that path.
 */
export function lazyEnvelope(envelope: Envelope, root: Uint8Array | undefined): OpenedEnvelope {
  let body: SignedBody | undefined;
  return {
    envelope,
    root,
    get body(): SignedBody {
      body ??= SignedBody.decode(envelope.body);
      return body;
    },
  };
}

// The sign bytes of a large envelope are written into one buffer, kept (as large as the largest
// envelope checked, at most the validator's 8 MiB) and reused: a fresh 4 MiB copy of every batch at
// every hop cost about what verifying it does (fresh pages, and external memory that brings on
// collections). Verification is synchronous, so one buffer serves every check.
const REUSE_FROM_BYTES = 64 * 1024;
let signScratch = new Uint8Array(0);

export function envelopeSignatureValid(signerKey: Uint8Array, envelope: Envelope): boolean {
  const { body, signature } = envelope;
  if (body.length < REUSE_FROM_BYTES) return verifyEd25519(signerKey, envelopeSignBytes(body), signature);
  const n = ENVELOPE_DOMAIN.length + body.length;
  if (signScratch.length < n) signScratch = new Uint8Array(n);
  signScratch.set(ENVELOPE_DOMAIN, 0);
  signScratch.set(body, ENVELOPE_DOMAIN.length);
  return verifyEd25519(signerKey, signScratch.subarray(0, n), signature);
}
