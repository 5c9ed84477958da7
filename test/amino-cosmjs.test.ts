// Amino JSON (what a Ledger signs) on a real CometBFT node: an amino-only CosmJS wallet
// (Secp256k1HdWallet) with the chain's AminoTypes sends, creates a validator, delegates, submits a
// gov proposal holding Cairn's royalty params and votes on it (v1 and v1beta1), registers an
// operator, deposits escrow and names an availability reporter; a 2-of-3 multisig account
// spends with CosmJS's makeMultisignedTx.
import { GasPrice, QueryClient, SigningStargateClient, setupGovExtension, setupStakingExtension } from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { Secp256k1HdWallet } from '@cosmjs/amino';
import { AuthInfo, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { ProposalStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForHeight } from '../node/cometbft/rpc.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { moduleAddress, AddressCodec } from '../core/framework/address.ts';
import { ed25519Any } from '../modules/staking/addresses.ts';
import { valoperOf } from '../modules/staking/genesis-builder.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';
import { cairnAminoTypes } from '../sdk/cosmjs-amino-types.ts';
import { bankMsgs } from '../sdk/bank/messages.ts';
import { stakingMsgs } from '../sdk/staking/messages.ts';
import { govMsgs, govV1beta1Msgs } from '../sdk/gov/messages.ts';
import { registryMsgs } from '../sdk/registry/messages.ts';
import { receiptsMsgs } from '../sdk/receipts/messages.ts';
import { emissionMsgs } from '../sdk/emission/messages.ts';
import { ROYALTY_TYPE_URLS } from '../sdk/royalty/messages.ts';
import { setupRoyaltyExtension } from '../sdk/royalty/queries.ts';
import { setupRegistryExtension } from '../sdk/registry/queries.ts';
import { MsgUpdateParams as RoyaltyUpdateParams } from '../proto/gen/cairn/royalty/v1/tx.ts';
import { ed25519Key } from './support/registry.ts';
import { TEST_OPERATOR, createTestHome } from './support/node-home.ts';
import { type AminoWallet, aminoWallet, multisigOf, multisignedTx } from './support/amino-wallets.ts';

const FUNDS = 10_000_000_000n;
let node: RunningNode;
let comet: CometClient;
let rpcUrl: string;
let chainId: string;
let alice: AminoWallet;
let bob: AminoWallet;
let carol: AminoWallet;
let dave: AminoWallet;
/** Alice's client: amino-only signer, the chain's Registry and AminoTypes. */
let client: SigningStargateClient;

beforeAll(async () => {
  [alice, bob, carol, dave] = await Promise.all([aminoWallet(0), aminoWallet(1), aminoWallet(2), aminoWallet(3)]);
  const ms = multisigOf([bob, carol, dave], 2);
  const home = await createTestHome([
    { address: alice.address, amount: FUNDS },
    { address: bob.address, amount: FUNDS },
    { address: ms.address, amount: FUNDS },
  ]);
  rpcUrl = home.rpcUrl;
  chainId = home.chainId;
  node = await startNode({ home: home.home, logger: silentLogger, withCometbft: true });
  await waitForHeight(rpcUrl, 2, 30_000);
  comet = await connectComet(rpcUrl);
  client = await connect(alice.wallet);
}, 90_000);

afterAll(async () => {
  client?.disconnect();
  comet?.disconnect();
  await node?.stop();
});

/** What a CosmJS user writes to sign Cairn's messages with amino JSON. */
function connect(wallet: Secp256k1HdWallet): Promise<SigningStargateClient> {
  return SigningStargateClient.connectWithSigner(rpcUrl, wallet, {
    registry: cairnRegistry(),
    aminoTypes: cairnAminoTypes(),
    gasPrice: GasPrice.fromString('0.025ucairn'),
    broadcastPollIntervalMs: 150,
  });
}

async function send(c: SigningStargateClient, from: string, msgs: EncodeObject[]): Promise<Awaited<ReturnType<SigningStargateClient['signAndBroadcast']>>> {
  const r = await c.signAndBroadcast(from, msgs, 'auto');
  expect(r.code, r.rawLog).toBe(0);
  return r;
}

describe('an amino-only CosmJS wallet (Secp256k1HdWallet, as a Ledger signs) on a real node', () => {
  it('sends tokens, with the amino sign mode on the chain', async () => {
    const r = await send(client, alice.address, [bankMsgs.MsgSend({ fromAddress: alice.address, toAddress: carol.address, amount: [{ denom: 'ucairn', amount: '4321' }] })]);
    expect(await client.getBalance(carol.address, 'ucairn')).toEqual({ denom: 'ucairn', amount: '4321' });
    const tx = TxRaw.decode((await client.getTx(r.transactionHash))!.tx);
    expect(AuthInfo.decode(tx.authInfoBytes).signerInfos[0]?.modeInfo?.single?.mode).toBe(SignMode.SIGN_MODE_LEGACY_AMINO_JSON);
  });

  it('creates a validator, delegates to the genesis validator and names an availability reporter (emission)', async () => {
    const q = QueryClient.withExtensions(comet, setupStakingExtension);
    const valoper = valoperOf(alice.address);
    await send(client, alice.address, [
      stakingMsgs.MsgCreateValidator({
        description: { moniker: 'ledger-validator', identity: '', website: 'https://example.org/?a=1&b=<2>', securityContact: '', details: '' },
        commission: { rate: '100000000000000000', maxRate: '200000000000000000', maxChangeRate: '10000000000000000' },
        minSelfDelegation: '1',
        delegatorAddress: alice.address,
        validatorAddress: valoper,
        pubkey: ed25519Any(ed25519Key(41).publicKey),
        value: { denom: 'ucairn', amount: '1000000' },
      }),
    ]);
    const { validator } = await q.staking.validator(valoper);
    expect(validator.description.moniker).toBe('ledger-validator');
    expect(validator.commission.commissionRates.rate).toBe('100000000000000000');

    await send(client, alice.address, [stakingMsgs.MsgDelegate({ delegatorAddress: alice.address, validatorAddress: valoperOf(TEST_OPERATOR), amount: { denom: 'ucairn', amount: '2500000' } })]);
    const { delegationResponse } = await q.staking.delegation(alice.address, valoperOf(TEST_OPERATOR));
    expect(delegationResponse?.balance).toEqual({ denom: 'ucairn', amount: '2500000' });

    // Alice's validator has power from the block after its creation on.
    const r = await send(client, alice.address, [emissionMsgs.MsgSetAvailabilityReporter({ validator: alice.address, reporter: bob.address })]);
    expect(r.events.some((e) => e.type === 'set_availability_reporter')).toBe(true);
  });

  it('registers an operator (registry) and deposits escrow (receipts)', async () => {
    const r = await send(client, alice.address, [
      registryMsgs.MsgRegisterOperator({
        operator: alice.address,
        moniker: 'gpu-farm',
        endpoints: ['https://gpu.example.org'],
        region: 'eu',
        receiptKey: ed25519Key(42).publicKey,
        bond: { denom: 'ucairn', amount: '100000000' },
      }),
      receiptsMsgs.MsgDepositEscrow({ payer: alice.address, amount: { denom: 'ucairn', amount: '777' } }),
    ]);
    expect(r.events.map((e) => e.type)).toEqual(expect.arrayContaining(['register_operator']));
    const q = QueryClient.withExtensions(comet, setupRegistryExtension);
    expect((await q.registry.operator({ address: alice.address })).operator?.moniker).toBe('gpu-farm');
  });

  it('submits a v1 proposal holding royalty params, votes on it with v1 and v1beta1 votes', async () => {
    const q = QueryClient.withExtensions(comet, setupGovExtension, setupRoyaltyExtension);
    const { params } = await q.royalty.params({});
    const gov = new AddressCodec('cairn').encode(moduleAddress('gov'));
    const update = { typeUrl: ROYALTY_TYPE_URLS.MsgUpdateParams, value: RoyaltyUpdateParams.encode({ authority: gov, params: { ...params!, burnBps: params!.burnBps + 1 } }).finish() };
    const r = await send(client, alice.address, [
      govMsgs.MsgSubmitProposal({ messages: [update], initialDeposit: [{ denom: 'ucairn', amount: '10000000' }], proposer: alice.address, title: 'Burn a little more', summary: 'One more bps & <no> floats.' }),
    ]);
    const id = BigInt(r.events.find((e) => e.type === 'submit_proposal')!.attributes.find((a) => a.key === 'proposal_id')!.value);
    expect((await q.gov.proposal(id.toString())).proposal.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);

    await send(client, alice.address, [govMsgs.MsgVote({ proposalId: id, voter: alice.address, option: VoteOption.VOTE_OPTION_YES, metadata: '' })]);
    const bobClient = await connect(bob.wallet);
    await send(bobClient, bob.address, [govV1beta1Msgs.MsgVote({ proposalId: id, voter: bob.address, option: VoteOption.VOTE_OPTION_NO })]);
    bobClient.disconnect();
    const votes = await q.gov.votes(id.toString());
    expect(votes.votes.map((v) => [v.voter, v.options[0]?.option]).sort()).toEqual(
      [
        [alice.address, VoteOption.VOTE_OPTION_YES],
        [bob.address, VoteOption.VOTE_OPTION_NO],
      ].sort(),
    );
  });

  it('spends from a 2-of-3 multisig account with CosmJS makeMultisignedTx', async () => {
    const ms = multisigOf([bob, carol, dave], 2);
    const account = (await client.getAccount(ms.address))!;
    const fee = { amount: [{ denom: 'ucairn', amount: '10000' }], gas: '300000' };
    const msg = bankMsgs.MsgSend({ fromAddress: ms.address, toAddress: alice.address, amount: [{ denom: 'ucairn', amount: '5555' }] });
    const before = BigInt((await client.getBalance(alice.address, 'ucairn')).amount);
    const tx = await multisignedTx(ms, [carol, dave], [msg], fee, 'treasury payout', { accountNumber: account.accountNumber, sequence: account.sequence, chainId });
    const r = await client.broadcastTx(TxRaw.encode(tx).finish());
    expect(r.code, r.rawLog).toBe(0);
    expect(BigInt((await client.getBalance(alice.address, 'ucairn')).amount)).toBe(before + 5555n);
    expect((await client.getAccount(ms.address))!.sequence).toBe(account.sequence + 1);
  });
});
