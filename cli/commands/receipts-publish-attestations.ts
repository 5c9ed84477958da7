// `cairn receipts publish-attestations <file> --operator <address> --key <seed> --peer <multiaddr>…`:
// gossips the operator's verifier-signed attestations over libp2p in an envelope signed by its
// receipt key (SPEC: operators gossip attestation batches). Watchers check every one against the
// registry's trusted verifiers; a forged one costs the operator its whole bond.
import { arg, stringFlag, type CommandContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { decodeBech32 } from '../../core/framework/address.ts';
import { silentLogger } from '../../node/log.ts';
import { publishAttestations } from '../../node/p2p/publish.ts';
import { MsgSubmitAttestation } from '../../proto/gen/cairn/registry/v1/tx.ts';
import type { Attestation } from '../../proto/gen/cairn/registry/v1/types.ts';
import { gossipOptions, gossipTarget } from './receipts-publish.ts';
import { readJson } from './receipts/files.ts';

export const description =
  'Gossips attestations (the verifier JSON `cairn tx registry submit-attestation` takes; one object or an array) to the given libp2p peers, signed by the operator receipt key.';

export const args = [{ name: 'file', description: 'JSON: one attestation object or an array of them (gpuId, teeType, measurement, reportHash, issuedAt, expiresAt, verifier, signature)' }];

export const options = {
  ...gossipOptions,
  operator: { type: 'string', valueName: 'address', description: 'the operator the attestations are for, cairn1… (required)' },
} as const;

export const examples = ['cairn receipts publish-attestations attestations.json --operator cairn1… --key ~/.cairn/receipt-key --peer /ip4/127.0.0.1/tcp/26659/p2p/12D3Koo…'];

export async function run(ctx: CommandContext): Promise<void> {
  const path = arg(ctx, 0);
  const operator = stringFlag(ctx, 'operator');
  if (operator === undefined) throw new UsageError('--operator <address> is required (the operator the attestations are for)');
  try {
    if (decodeBech32(operator).prefix !== 'cairn') throw new Error('not a cairn1… address');
  } catch (error) {
    throw new UsageError(`--operator ${operator} is not an operator address: ${(error as Error).message}`);
  }
  const json = await readJson(path, 'attestations file');
  const attestations = (Array.isArray(json) ? json : [json]).map((item, i): Attestation => {
    if (typeof item !== 'object' || item === null) throw new UsageError(`${path}: attestation ${i} is not a JSON object`);
    const f = MsgSubmitAttestation.fromJSON(item);
    if (f.gpuId === '') throw new UsageError(`${path}: attestation ${i} has no gpuId`);
    return { id: new Uint8Array(), operator, gpuId: f.gpuId, teeType: f.teeType, measurement: f.measurement, reportHash: f.reportHash, issuedAt: f.issuedAt, expiresAt: f.expiresAt, verifier: f.verifier, signature: f.signature, submittedHeight: 0n };
  });
  if (attestations.length === 0) throw new UsageError(`${path} holds no attestation`);
  const target = await gossipTarget(ctx);
  const sent = await publishAttestations({ ...target, operator, attestations, logger: silentLogger });
  ctx.print({ json: { attestations: attestations.length, peers: sent }, text: `published ${attestations.length} attestation(s) of ${operator} to ${sent} peer(s)` });
}
