// Governance on a real 4-validator localnet made with its defaults (60 s deposit and voting periods):
// an operator's attestation signed by a new TEE verifier is refused as untrusted; the faucet proposes
// a registry MsgUpdateParams trusting that verifier; three validators vote yes and one no with
// unmodified CosmJS; the proposal passes within two minutes of voting, on every node alike, and the
// operator's next attestation by that verifier is accepted and ranks it verified-tee.
import { QueryClient, setupGovExtension } from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import { ProposalStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AddressCodec, moduleAddress } from '../core/framework/address.ts';
import { Localnet } from '../localnet/index.ts';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { TrustLevel } from '../proto/gen/cairn/registry/v1/types.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';
import { govMsgs } from '../sdk/gov/messages.ts';
import { setupRegistryExtension } from '../sdk/registry/queries.ts';
import { attestation, ed25519Key, gpu, msgs } from './support/registry.ts';
import { eventually } from './support/localnet.ts';
import { testDir } from './support/test-dirs.ts';

let net: Localnet | undefined;
const clients: SigningStargateClient[] = [];

afterAll(async () => {
  for (const c of clients) c.disconnect();
  if (net !== undefined && existsSync(join(net.dir, 'localnet.json'))) await net.down({ reset: true });
});

async function signer(rpc: string, mnemonic: string): Promise<{ address: string; client: SigningStargateClient }> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'cairn' });
  const [account] = await wallet.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(rpc, wallet, { registry: cairnRegistry(), gasPrice: GasPrice.fromString('0.025ucairn'), broadcastPollIntervalMs: 200 });
  clients.push(client);
  return { address: account!.address, client };
}

describe('governance on a 4-validator localnet', () => {
  it('trusts a new TEE verifier by a proposal passed with CosmJS votes; its next attestation ranks verified', async () => {
    const dir = join(await testDir('cairn-gov-localnet-'), 'net');
    net = await Localnet.create({ dir, validators: 4, blockTimeMs: 500 });
    await net.up();
    const rpc = net.rpcUrl('node0');
    const comet = await connectComet(rpc);
    const q = QueryClient.withExtensions(comet, setupGovExtension, setupRegistryExtension);
    const votingParams = await q.gov.params('voting');
    expect(votingParams.votingParams.votingPeriod.seconds).toBe(60n);

    // An operator whose attestation by the new verifier is refused while it is not trusted.
    const faucet = await signer(rpc, net.manifest.faucet.mnemonic);
    const verifier = ed25519Key(31_337);
    const chainId = net.manifest.chainId;
    const operator = await signer(rpc, net.nodes[0]!.operator!.mnemonic);
    const registered = await operator.client.signAndBroadcast(operator.address, [msgs.registerOperator(operator.address, 5, { bond: { denom: 'ucairn', amount: '100000000' } }), msgs.commitGpus(operator.address, [gpu('g0')])], 'auto');
    expect(registered.code, registered.rawLog).toBe(0);
    const attest = async () => {
      const now = BigInt(Math.floor((await comet.block()).block.header.time.getTime() / 1000));
      const msg = attestation(new AddressCodec('cairn').decode(operator.address), operator.address, 'g0', { verifier, chainId, issuedAt: now - 60n, expiresAt: now + 3600n });
      return operator.client.signAndBroadcast(operator.address, [msgs.submitAttestation(msg)], 'auto');
    };
    // CosmJS's gas simulation already gets the registry's refusal.
    await expect(attest()).rejects.toThrow(/\(44\).*attestation verifier is not trusted/);

    // The proposal: the registry's params with the verifier added, signed by (and run as) the gov account.
    const { params } = await q.registry.params();
    const gov = new AddressCodec('cairn').encode(moduleAddress('gov'));
    const update = msgs.updateParams(gov, { ...params!, trustedVerifiers: [...params!.trustedVerifiers, verifier.publicKey] });
    const submitted = await faucet.client.signAndBroadcast(
      faucet.address,
      [govMsgs.MsgSubmitProposal({ messages: [{ typeUrl: update.typeUrl, value: cairnRegistry().encode(update) }], initialDeposit: [{ denom: 'ucairn', amount: '10000000' }], proposer: faucet.address, title: 'Trust TEE verifier 31337', summary: 'Adds its ed25519 key to registry.params.trusted_verifiers.' })],
      'auto',
    );
    expect(submitted.code, submitted.rawLog).toBe(0);
    const id = BigInt(submitted.events.find((e) => e.type === 'submit_proposal' && e.attributes.some((a) => a.key === 'proposal_id'))!.attributes.find((a) => a.key === 'proposal_id')!.value);
    const started = Date.now();

    const validators = await Promise.all(net.nodes.map((n) => signer(net!.rpcUrl(n.name), n.operator!.mnemonic)));
    const options = [VoteOption.VOTE_OPTION_YES, VoteOption.VOTE_OPTION_YES, VoteOption.VOTE_OPTION_YES, VoteOption.VOTE_OPTION_NO];
    await Promise.all(validators.map(async (v, i) => {
      const r = await v.client.signAndBroadcast(v.address, [govMsgs.MsgVote({ proposalId: id, voter: v.address, option: options[i]!, metadata: '' })], 'auto');
      expect(r.code, r.rawLog).toBe(0);
    }));
    expect((await q.gov.tally(Number(id))).tally).toMatchObject({ yes: (300n * 1_000_000n).toString(), no: (100n * 1_000_000n).toString() });

    const done = await eventually('the proposal to be decided', 150_000, async () => {
      const p = (await q.gov.proposal(Number(id))).proposal;
      return p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD ? undefined : p;
    }, 1000);
    const votingSeconds = (Date.now() - started) / 1000;
    expect(done.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(votingSeconds).toBeLessThan(120);
    console.log(`proposal ${id} passed ${votingSeconds.toFixed(1)} s after it was submitted`);
    // Every node executed it: each answers the new verifier set once it has committed that block (a
    // node on a loaded machine may be a block behind the one that answered above).
    const trusted = Buffer.from(verifier.publicKey).toString('hex');
    for (const n of net.nodes) {
      await eventually(`${n.name} to answer the new verifier set`, 30_000, async () => {
        const c = await connectComet(net!.rpcUrl(n.name));
        try {
          const p = (await QueryClient.withExtensions(c, setupRegistryExtension).registry.params()).params!;
          return p.trustedVerifiers.some((k) => Buffer.from(k).toString('hex') === trusted) ? true : undefined;
        } finally {
          c.disconnect();
        }
      });
    }

    const accepted = await attest();
    expect(accepted.code, accepted.rawLog).toBe(0);
    expect((await q.registry.operator({ address: operator.address })).trustLevel).toBe(TrustLevel.TRUST_LEVEL_VERIFIED_TEE);
    comet.disconnect();
  }, 300_000);
});
