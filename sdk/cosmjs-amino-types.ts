// cairnAminoTypes() apart from sdk/cosmjs-registry.ts: AminoTypes is a value of @cosmjs/stargate,
// whose entry point loads the whole client (Tendermint RPC, websockets). The node's app needs the
// registry and the amino table but never the client, and loading it cost a restarted node ~0.25 s.
import { AminoTypes } from '@cosmjs/stargate';
import { cairnAminoConverters } from './cosmjs-registry.ts';

/** A new AminoTypes of every message (what SigningStargateClient's `aminoTypes` option takes). */
export function cairnAminoTypes(): AminoTypes {
  return new AminoTypes(cairnAminoConverters());
}
