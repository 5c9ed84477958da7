// Signatures and addresses produced by CosmJS, the library Cairn's wallets use, must be accepted
// and derived exactly as CosmJS does.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Secp256k1 } from '@cosmjs/crypto';
import { fromBase64, toBech32 } from '@cosmjs/encoding';
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import {
  DirectSecp256k1HdWallet,
  Registry,
  encodePubkey,
  makeAuthInfoBytes,
  makeSignBytes,
  makeSignDoc,
} from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { verifySecp256k1 } from './secp256k1.ts';
import { sha256 } from './hash.ts';
import { pubkeyToAddress } from './address.ts';
import { N, highSTwin, toBytes32 } from '../../test/support/signatures.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

// CosmJS's own documentation and tests use this mnemonic; its first account is
// cosmos14qemq0vw6y3gc3u3e0aty2e764u4gs5le3hada on the default path m/44'/118'/0'/0/0.
const MNEMONIC = 'enlist hip relief stomach skate base shallow young switch frequent cry park';

describe('signatures made by CosmJS', () => {
  it('verifies a fixed Secp256k1.createSignature vector and rejects its high-S twin', async () => {
    const privkey = sha256(utf8('cairn/crypto/self-test'));
    const hash = sha256(utf8('cairn self-test message'));
    const keypair = await Secp256k1.makeKeypair(privkey);
    const pubkey = Secp256k1.compressPubkey(keypair.pubkey);
    const made = await Secp256k1.createSignature(hash, privkey);
    const signature = Secp256k1.trimRecoveryByte(made.toFixedLength());

    // Pinned so that a change in CosmJS's signing (nonce, normalisation) shows up here.
    expect(Buffer.from(pubkey).toString('hex')).toBe('03c7a7e5a474ce96924a0f390b5464b48797fa9520855d3e7fd4a41adfc26fac5f');
    expect(Buffer.from(signature).toString('hex')).toBe(
      '2b9e47f825784819b8179a6b6543bea7e035423e9218e0894d270e0465a9a1c8' +
        '7fd1272251f5721dad55e6f8ca897e3dc9218e3e8c7030cd8145a2ed5d332217',
    );
    expect(verifySecp256k1(pubkey, hash, signature)).toBe(true);
    expect(verifySecp256k1(pubkey, hash, highSTwin(signature))).toBe(false);
  });

  it('verifies CosmJS signatures for random keys and messages', async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 1n, max: N - 1n }), fc.uint8Array({ maxLength: 300 }), async (d, message) => {
        const privkey = toBytes32(d);
        const pubkey = Secp256k1.compressPubkey((await Secp256k1.makeKeypair(privkey)).pubkey);
        const hash = sha256(message);
        const signature = Secp256k1.trimRecoveryByte((await Secp256k1.createSignature(hash, privkey)).toFixedLength());
        expect(verifySecp256k1(pubkey, hash, signature)).toBe(true);
        expect(verifySecp256k1(pubkey, sha256(Uint8Array.of(...message, 0)), signature)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it('verifies a SIGN_MODE_DIRECT transaction signed by DirectSecp256k1HdWallet.signDirect', async () => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: 'cairn' });
    const [account] = await wallet.getAccounts();
    if (account === undefined) throw new Error('wallet has no account');
    const registry = new Registry(defaultRegistryTypes);
    const bodyBytes = registry.encodeTxBody({
      messages: [
        {
          typeUrl: '/cosmos.bank.v1beta1.MsgSend',
          value: { fromAddress: account.address, toAddress: account.address, amount: [{ denom: 'ucairn', amount: '1234' }] },
        },
      ],
      memo: 'cairn crypto test',
    });
    const authInfoBytes = makeAuthInfoBytes(
      [{ pubkey: encodePubkey(encodeSecp256k1Pubkey(account.pubkey)), sequence: 7 }],
      [{ denom: 'ucairn', amount: '5000' }],
      200_000,
      undefined,
      undefined,
    );
    const signDoc = makeSignDoc(bodyBytes, authInfoBytes, 'cairn-test-1', 3);

    const { signature } = await wallet.signDirect(account.address, signDoc);
    const signatureBytes = fromBase64(signature.signature);
    const pubkey = fromBase64(signature.pub_key.value);

    expect(signatureBytes).toHaveLength(64);
    expect(verifySecp256k1(pubkey, sha256(makeSignBytes(signDoc)), signatureBytes)).toBe(true);
    // The same signature must not carry over to another chain id or account number.
    expect(verifySecp256k1(pubkey, sha256(makeSignBytes(makeSignDoc(bodyBytes, authInfoBytes, 'cairn-test-2', 3))), signatureBytes)).toBe(false);
    expect(verifySecp256k1(pubkey, sha256(makeSignBytes(makeSignDoc(bodyBytes, authInfoBytes, 'cairn-test-1', 4))), signatureBytes)).toBe(false);
    // And the wallet's address is the one we derive from its key.
    expect(toBech32('cairn', pubkeyToAddress(pubkey))).toBe(account.address);
  });

  it('derives cosmos14qemq0vw6y3gc3u3e0aty2e764u4gs5le3hada from the CosmJS test mnemonic', async () => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC);
    const [account] = await wallet.getAccounts();
    if (account === undefined) throw new Error('wallet has no account');
    expect(toBech32('cosmos', pubkeyToAddress(account.pubkey))).toBe('cosmos14qemq0vw6y3gc3u3e0aty2e764u4gs5le3hada');
  });
});
