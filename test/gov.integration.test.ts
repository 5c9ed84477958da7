// Governance of a real single-validator chain. Unmodified CosmJS: a delegator's SigningStargateClient
// submits a v1beta1 TextProposal (CosmJS's own gov encoders) and a v1 proposal holding a registry
// MsgUpdateParams (with cairnRegistry), deposits and votes; a QueryClient with setupGovExtension
// reads the proposals, deposits, votes, tally and params, and both proposals pass. The CLI: a
// proposal file changing gov's own params is submitted, voted on (plain and weighted) and passes.
import { type EncodeObject } from '@cosmjs/proto-signing';
import { GasPrice, QueryClient, SigningStargateClient, setupGovExtension } from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { ProposalStatus, TextProposal, VoteOption } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleAddress, AddressCodec } from '../core/framework/address.ts';
import { valoperOf } from '../modules/staking/genesis-builder.ts';
import { waitForHeight } from '../node/cometbft/rpc.ts';
import { defaultAppState } from '../node/genesis.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { MsgUpdateParams as RegistryUpdateParams } from '../proto/gen/cairn/registry/v1/tx.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';
import { govMsgs } from '../sdk/gov/messages.ts';
import { setupRegistryExtension } from '../sdk/registry/queries.ts';
import { REGISTRY_TYPE_URLS } from '../sdk/registry/messages.ts';
import { ed25519Key } from './support/registry.ts';
import { TEST_OPERATOR, TEST_SELF_BOND, createTestHome } from './support/node-home.ts';
import { MNEMONICS, type TestWallet, testWallet } from './support/wallets.ts';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../cli/main.ts';
import { Keyring } from '../sdk/keyring/keyring.ts';
import { memoryIo } from './support/cli-io.ts';
import { testDir } from './support/test-dirs.ts';

const FUNDS = 10_000_000_000n;
let node: RunningNode;
let comet: CometClient;
let rpcUrl: string;
let alice: TestWallet;
let bob: TestWallet;
let client: SigningStargateClient;

beforeAll(async () => {
  [alice, bob] = await Promise.all([testWallet(0), testWallet(1)]);
  const state = defaultAppState();
  // Blocks are 300 ms apart here: proposals are decided 6 s after they reach their deposit.
  (state['gov'] as { params: Record<string, unknown> }).params = {
    ...(state['gov'] as { params: Record<string, unknown> }).params,
    min_deposit: [{ denom: 'ucairn', amount: '1000' }],
    max_deposit_period: '20s',
    voting_period: '6s',
    expedited_voting_period: '3s',
  };
  const home = await createTestHome([{ address: alice.address, amount: FUNDS }, { address: bob.address, amount: FUNDS }], 'cairn-gov-1', state);
  rpcUrl = home.rpcUrl;
  node = await startNode({ home: home.home, logger: silentLogger, withCometbft: true });
  await waitForHeight(rpcUrl, 2, 30_000);
  comet = await connectComet(rpcUrl);
  client = await SigningStargateClient.connectWithSigner(rpcUrl, alice.wallet, { registry: cairnRegistry(), gasPrice: GasPrice.fromString('0.025ucairn'), broadcastPollIntervalMs: 150 });
}, 90_000);

afterAll(async () => {
  client?.disconnect();
  comet?.disconnect();
  await node?.stop();
});

async function send(msgs: EncodeObject[]): Promise<number> {
  const r = await client.signAndBroadcast(alice.address, msgs, 'auto');
  expect(r.code, r.rawLog).toBe(0);
  const submitted = r.events.find((e) => e.type === 'submit_proposal' && e.attributes.some((a) => a.key === 'proposal_id'));
  return submitted === undefined ? 0 : Number(submitted.attributes.find((a) => a.key === 'proposal_id')!.value);
}

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('governance with unmodified CosmJS', () => {
  it('submits, deposits and votes on a v1beta1 TextProposal and a v1 proposal; setupGovExtension reads them; both pass', async () => {
    const q = QueryClient.withExtensions(comet, setupGovExtension, setupRegistryExtension);
    // alice delegates twice the validator's self bond, so her own votes decide.
    const delegated = await client.delegateTokens(alice.address, valoperOf(TEST_OPERATOR), { denom: 'ucairn', amount: (2n * TEST_SELF_BOND).toString() }, 'auto');
    expect(delegated.code).toBe(0);

    // v1beta1, with CosmJS's own encoders: half the deposit now, the rest from bob.
    const text = { typeUrl: '/cosmos.gov.v1beta1.TextProposal', value: TextProposal.encode({ title: 'Signal', description: 'Shall we?' }).finish() };
    const textId = await send([{ typeUrl: '/cosmos.gov.v1beta1.MsgSubmitProposal', value: { content: text, initialDeposit: [{ denom: 'ucairn', amount: '500' }], proposer: alice.address } }]);
    expect(textId).toBe(1);
    expect((await q.gov.proposal(textId)).proposal.status).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    const bobClient = await SigningStargateClient.connectWithSigner(rpcUrl, bob.wallet, { gasPrice: GasPrice.fromString('0.025ucairn'), broadcastPollIntervalMs: 150 });
    const deposited = await bobClient.signAndBroadcast(bob.address, [{ typeUrl: '/cosmos.gov.v1beta1.MsgDeposit', value: { proposalId: BigInt(textId), depositor: bob.address, amount: [{ denom: 'ucairn', amount: '500' }] } }], 'auto');
    bobClient.disconnect();
    expect(deposited.code, deposited.rawLog).toBe(0);
    const deposits = await q.gov.deposits(textId);
    expect(deposits.deposits.map((d) => d.depositor).sort()).toEqual([alice.address, bob.address].sort());
    await send([{ typeUrl: '/cosmos.gov.v1beta1.MsgVote', value: { proposalId: BigInt(textId), voter: alice.address, option: VoteOption.VOTE_OPTION_YES } }]);

    // v1: a registry MsgUpdateParams run by the gov account, adding a trusted verifier.
    const { params } = await q.registry.params();
    const verifier = ed25519Key(777).publicKey;
    const gov = new AddressCodec('cairn').encode(moduleAddress('gov'));
    const update = { typeUrl: REGISTRY_TYPE_URLS.MsgUpdateParams, value: RegistryUpdateParams.encode({ authority: gov, params: { ...params!, trustedVerifiers: [...params!.trustedVerifiers, verifier] } }).finish() };
    const v1Id = await send([govMsgs.MsgSubmitProposal({ messages: [update], initialDeposit: [{ denom: 'ucairn', amount: '1000' }], proposer: alice.address, title: 'Trust verifier 777', summary: 'Adds a TEE verifier key.' })]);
    await send([govMsgs.MsgVote({ proposalId: BigInt(v1Id), voter: alice.address, option: VoteOption.VOTE_OPTION_YES, metadata: '' })]);

    const voting = await q.gov.proposals(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, '', '');
    expect(voting.proposals.map((p) => Number(p.proposalId))).toContain(v1Id);
    const votes = await q.gov.votes(v1Id);
    expect(votes.votes).toEqual([expect.objectContaining({ voter: alice.address, options: [{ option: VoteOption.VOTE_OPTION_YES, weight: '1000000000000000000' }] })]);
    const vote = await q.gov.vote(textId, alice.address);
    expect(vote.vote.option).toBe(VoteOption.VOTE_OPTION_YES);
    const tally = await q.gov.tally(v1Id);
    expect(tally.tally.yes).toBe((2n * TEST_SELF_BOND).toString());
    const tallying = await q.gov.params('tallying');
    expect(new TextDecoder().decode(tallying.tallyParams.quorum)).toBe('334000000000000000');
    expect((await q.gov.params('voting')).votingParams.votingPeriod.seconds).toBe(6n);

    const passed = await until('both proposals to pass', async () => [(await q.gov.proposal(textId)).proposal, (await q.gov.proposal(v1Id)).proposal], (ps) => ps.every((p) => p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD));
    expect(passed.map((p) => p.status)).toEqual([ProposalStatus.PROPOSAL_STATUS_PASSED, ProposalStatus.PROPOSAL_STATUS_PASSED]);
    expect(passed[0]!.content!.typeUrl).toBe('/cosmos.gov.v1beta1.TextProposal');
    expect(passed[1]!.finalTallyResult.yes).toBe((2n * TEST_SELF_BOND).toString());
    expect((await q.registry.params()).params!.trustedVerifiers).toContainEqual(verifier);
  }, 120_000);
});

describe('governance from the CLI', () => {
  let keyringDir: string;
  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = memoryIo();
    const code = await runCli(['--node', rpcUrl, '--keyring-backend', 'test', '--keyring-dir', keyringDir, ...argv], io);
    return { code, out: io.stdoutText(), err: io.stderrText() };
  }
  const fees = ['--gas', 'auto', '--gas-prices', '0.025ucairn'];

  it("submits a proposal file changing gov's own quorum, votes (then re-votes weighted), reads it back, and it passes", async () => {
    keyringDir = await testDir('cairn-gov-keys-');
    await new Keyring({ dir: keyringDir, backend: 'test' }).import('alice', MNEMONICS[0]!);
    const gov = new AddressCodec('cairn').encode(moduleAddress('gov'));
    const params = JSON.parse((await cli('query', 'gov', 'params', '--output', 'json')).out) as Record<string, unknown>;
    expect(params['quorum']).toBe('0.334000000000000000');
    const file = join(keyringDir, 'proposal.json');
    const next = {
      min_deposit: [{ denom: 'ucairn', amount: '1000' }],
      max_deposit_period: '20s',
      voting_period: '6s',
      quorum: '0.4',
      threshold: '0.5',
      veto_threshold: '0.334',
      min_initial_deposit_ratio: '0',
      proposal_cancel_ratio: '0.5',
      proposal_cancel_dest: '',
      expedited_voting_period: '3s',
      expedited_threshold: '0.667',
      expedited_min_deposit: [{ denom: 'ucairn', amount: '50000000' }],
      burn_vote_quorum: false,
      burn_proposal_deposit_prevote: false,
      burn_vote_veto: true,
      min_deposit_ratio: '0.01',
    };
    await writeFile(file, JSON.stringify({ messages: [{ '@type': '/cosmos.gov.v1.MsgUpdateParams', authority: gov, params: next }], metadata: 'ipfs://quorum', deposit: '1000ucairn', title: 'Quorum 40%', summary: 'Raise the quorum.' }));
    let r = await cli('tx', 'gov', 'submit-proposal', 'alice', file, ...fees);
    expect(r.code, r.err).toBe(0);
    const listed = JSON.parse((await cli('query', 'gov', 'proposals', '--status', 'voting', '--output', 'json')).out) as { proposals: { id: string; title: string }[] };
    const id = listed.proposals.find((p) => p.title === 'Quorum 40%')!.id;
    r = await cli('tx', 'gov', 'vote', 'alice', id, 'no', ...fees);
    expect(r.code, r.err).toBe(0);
    r = await cli('tx', 'gov', 'weighted-vote', 'alice', id, 'yes=0.7,no=0.3', ...fees);
    expect(r.code, r.err).toBe(0);
    r = await cli('query', 'gov', 'votes', id);
    expect(r.out).toContain('yes=0.7,no=0.3');
    r = await cli('query', 'gov', 'tally', id, '--output', 'json');
    expect(JSON.parse(r.out)).toMatchObject({ yesCount: ((2n * TEST_SELF_BOND * 7n) / 10n).toString(), noCount: ((2n * TEST_SELF_BOND * 3n) / 10n).toString() });
    r = await cli('query', 'gov', 'deposits', id);
    expect(r.out).toContain('1000ucairn');
    const bad = await cli('tx', 'gov', 'weighted-vote', 'alice', id, 'yes=0.7,no=0.2', ...fees);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/total weight lower than 1.00/);

    await until('the quorum proposal to pass', async () => JSON.parse((await cli('query', 'gov', 'proposal', id, '--output', 'json')).out) as { status: number }, (p) => p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    r = await cli('query', 'gov', 'proposal', id);
    expect(r.out, r.out).toMatch(/status:?\s+passed/);
    expect(JSON.parse((await cli('query', 'gov', 'params', '--output', 'json')).out)).toMatchObject({ quorum: '0.400000000000000000' });
  }, 120_000);

  it('refuses a proposal file naming an unknown message or field, before signing anything', async () => {
    const file = join(keyringDir, 'bad.json');
    await writeFile(file, JSON.stringify({ messages: [{ '@type': '/cosmos.gov.v1.MsgUpdateParams', authority: 'x', params: { quorom: '0.5' } }], title: 't', summary: 's' }));
    let r = await cli('tx', 'gov', 'submit-proposal', 'alice', file);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('messages[0].params.quorom: unknown field');
    await writeFile(file, JSON.stringify({ messages: [{ '@type': '/cosmos.nft.v1beta1.MsgSend' }], title: 't', summary: 's' }));
    r = await cli('tx', 'gov', 'submit-proposal', 'alice', file);
    expect(r.err).toContain('/cosmos.nft.v1beta1.MsgSend is not a message this CLI knows');
    r = await cli('tx', 'gov', 'vote', 'alice', '1', 'maybe');
    expect(r.err).toContain('"maybe" is not a vote option');
  });
});
