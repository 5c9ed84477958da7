// The dev verifier: one fixed ed25519 key that dev chains (`cairn dev`) and localnets list in the
// registry's trusted_verifiers, so attestations, capacity challenges and forgery reports work there
// without running an attestation service. Its seed is sha256 of a public sentence, so ANYONE can
// sign as it: a chain meant to hold value must never trust it (`cairn init` does not).
import { type Ed25519Signer, ed25519FromSeed } from '../ed25519.ts';
import { sha256 } from '../hash.ts';

/** The public sentence the dev verifier's seed is the sha256 of. */
export const DEV_VERIFIER_SEED_PHRASE = 'cairn dev verifier: public, for dev chains and localnets only';

/** The dev verifier's key (`cairn verifier sign-… --dev` signs with it). */
export function devVerifier(): Ed25519Signer {
  return ed25519FromSeed(sha256(new TextEncoder().encode(DEV_VERIFIER_SEED_PHRASE)));
}

/** Its public key as 64 hex digits, as printed by `cairn dev` and `cairn localnet up`. */
export function devVerifierHex(): string {
  return Buffer.from(devVerifier().publicKey).toString('hex');
}
