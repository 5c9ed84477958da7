// `cairn verifier`: a trusted verifier signs an attestation and a capacity benchmark offline, and
// the chain accepts exactly what it signed.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.ts';
import { memoryIo } from './support/cli-io.ts';
import { capacitySignBytes } from '../sdk/emission/sign-bytes.ts';
import { verifyEd25519 } from '../sdk/registry/sign-bytes.ts';
import { QueryOperatorRequest, QueryOperatorResponse } from '../proto/gen/cairn/registry/v1/query.ts';
import { MsgSubmitAttestation } from '../proto/gen/cairn/registry/v1/tx.ts';
import { TrustLevel } from '../proto/gen/cairn/registry/v1/types.ts';
import { CHAIN_ID } from './support/app-chain.ts';
import { trustDevVerifier } from '../node/genesis.ts';
import { devVerifierHex } from '../sdk/registry/dev-verifier.ts';
import { RegistryChain, b64, gpu, msgs } from './support/registry.ts';
import { testDir } from './support/test-dirs.ts';

let dir: string;
const at = (name: string) => join(dir, name);

async function cairn(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

beforeEach(async () => {
  dir = await testDir('cairn-verifier-');
});

describe('cairn verifier', () => {
  it('signs an attestation the chain accepts from an operator once its key is trusted', async () => {
    const key = await cairn('verifier', 'keygen', '--out', at('verifier-key'), '-o', 'json');
    expect(key.code, key.err).toBe(0);
    const verifier = (JSON.parse(key.out) as { publicKey: string }).publicKey;
    const rc = await RegistryChain.start({ params: { trusted_verifiers: [b64(Buffer.from(verifier, 'hex'))] } });
    const op = rc.wallets[0]!.address;
    await rc.ok(rc.wallets[0]!, msgs.registerOperator(op, 10));
    await rc.ok(rc.wallets[0]!, msgs.commitGpus(op, [gpu('g0')]));
    const now = Number(rc.nextBlockTime);
    await writeFile(
      at('report.json'),
      JSON.stringify({ gpuId: 'g0', teeType: 'TEE_TYPE_SEV_SNP', measurement: Buffer.alloc(48, 3).toString('base64'), reportHash: Buffer.alloc(32, 9).toString('base64'), issuedAt: String(now - 60), expiresAt: String(now + 3600) }),
    );
    const signed = await cairn('verifier', 'sign-attestation', at('report.json'), '--key', at('verifier-key'), '--operator', op, '--chain-id', CHAIN_ID, '--out', at('attestation.json'));
    expect(signed.code, signed.err).toBe(0);
    const file = JSON.parse(await readFile(at('attestation.json'), 'utf8')) as Record<string, unknown>;
    expect(Buffer.from(file['verifier'] as string, 'base64').toString('hex')).toBe(verifier);
    await rc.ok(rc.wallets[0]!, msgs.submitAttestation({ ...MsgSubmitAttestation.fromJSON(file), operator: op }));
    const record = QueryOperatorResponse.decode((await rc.chain.query('/cairn.registry.v1.Query/Operator', QueryOperatorRequest.encode({ address: op }).finish())).value);
    expect(record.trustLevel).toBe(TrustLevel.TRUST_LEVEL_VERIFIED_TEE);
  });

  it('with --dev signs as the public dev verifier, which a dev or localnet genesis trusts and `cairn init`’s does not', async () => {
    const devGenesis = trustDevVerifier({}) as { registry: { params: { trusted_verifiers: string[] } } };
    expect(devGenesis.registry.params.trusted_verifiers.map((k) => Buffer.from(k, 'base64').toString('hex'))).toEqual([devVerifierHex()]);
    const rc = await RegistryChain.start({ params: { trusted_verifiers: devGenesis.registry.params.trusted_verifiers } });
    const op = rc.wallets[0]!.address;
    await rc.ok(rc.wallets[0]!, msgs.registerOperator(op, 10));
    await rc.ok(rc.wallets[0]!, msgs.commitGpus(op, [gpu('g0')]));
    const now = Number(rc.nextBlockTime);
    await writeFile(at('report.json'), JSON.stringify({ gpuId: 'g0', teeType: 'TEE_TYPE_SEV_SNP', measurement: Buffer.alloc(48, 1).toString('base64'), reportHash: Buffer.alloc(32, 2).toString('base64'), issuedAt: String(now - 60), expiresAt: String(now + 3600) }));
    const signed = await cairn('verifier', 'sign-attestation', at('report.json'), '--dev', '--operator', op, '--chain-id', CHAIN_ID, '--out', at('attestation.json'));
    expect(signed.code, signed.err).toBe(0);
    expect(signed.out).toContain(`as verifier ${devVerifierHex()}`);
    const file = JSON.parse(await readFile(at('attestation.json'), 'utf8')) as Record<string, unknown>;
    await rc.ok(rc.wallets[0]!, msgs.submitAttestation({ ...MsgSubmitAttestation.fromJSON(file), operator: op }));
    const both = await cairn('verifier', 'sign-capacity', '--dev', '--key', at('report.json'), '--operator', op, '--chain-id', CHAIN_ID, '--challenge-id', '1', '--gpu-id', 'g0', '--count', '8');
    expect(both.code).toBe(1);
    expect(both.err).toMatch(/give --key <file> or --dev, not both/);
    const defaults = (await import('../node/genesis.ts')).defaultAppState() as { registry: { params: { trusted_verifiers: unknown[] } } };
    expect(defaults.registry.params.trusted_verifiers).toEqual([]);
  });

  it('signs a capacity benchmark over the chain’s sign-bytes and prints the prove-capacity command', async () => {
    await cairn('verifier', 'keygen', '--out', at('verifier-key'));
    const op = 'cairn1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqzhngkd';
    const r = await cairn('verifier', 'sign-capacity', '--key', at('verifier-key'), '--operator', op, '--chain-id', 'cairn-9', '--challenge-id', '7', '--gpu-id', 'h100-a', '--count', '8', '-o', 'json');
    expect(r.code, r.err).toBe(0);
    const { verifier, signature } = JSON.parse(r.out) as { verifier: string; signature: string };
    const bytes = capacitySignBytes('cairn-9', new Uint8Array(20), 7n, 'h100-a', 8);
    expect(verifyEd25519(Buffer.from(verifier, 'hex'), bytes, Buffer.from(signature, 'hex'))).toBe(true);
    expect(verifyEd25519(Buffer.from(verifier, 'hex'), capacitySignBytes('cairn-9', new Uint8Array(20), 7n, 'h100-a', 9), Buffer.from(signature, 'hex'))).toBe(false);
    const text = await cairn('verifier', 'sign-capacity', '--key', at('verifier-key'), '--operator', op, '--chain-id', 'cairn-9', '--challenge-id', '7', '--gpu-id', 'h100-a', '--count', '8');
    expect(text.out).toContain(`cairn tx emission prove-capacity <operator-key> 7 8 --verifier ${verifier} --signature ${signature}`);
  });

  it.each([
    [['sign-capacity', '--operator', 'cairn1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqzhngkd', '--challenge-id', '7', '--gpu-id', 'g', '--count', '8'], /--chain-id is required/],
    [['sign-capacity', '--chain-id', 'c', '--operator', 'val1', '--challenge-id', '7', '--gpu-id', 'g', '--count', '8'], /--operator val1 is not an operator address/],
    [['sign-capacity', '--chain-id', 'c', '--challenge-id', 'seven', '--gpu-id', 'g', '--count', '8'], /--challenge-id must be a non-negative integer/],
  ])('refuses %j, saying what is missing', async (argv, message) => {
    await cairn('verifier', 'keygen', '--out', at('verifier-key'));
    const r = await cairn('verifier', ...argv, '--key', at('verifier-key'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });

  it('refuses a TEE_TYPE_NONE attestation: it needs no verifier', async () => {
    await cairn('verifier', 'keygen', '--out', at('verifier-key'));
    await writeFile(at('none.json'), JSON.stringify({ gpuId: 'g0', teeType: 'TEE_TYPE_NONE', issuedAt: '1', expiresAt: '2' }));
    const r = await cairn('verifier', 'sign-attestation', at('none.json'), '--key', at('verifier-key'), '--operator', 'cairn1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqzhngkd', '--chain-id', 'c');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/TEE_TYPE_NONE needs no verifier/);
  });
});
