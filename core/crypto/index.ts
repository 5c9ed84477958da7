export { sha256, ripemd160 } from './hash.ts';
export {
  verifySecp256k1,
  VerifiedSecp256k1,
  NativeSecp256k1UnavailableError,
  Secp256k1SelfTestError,
  SECP256K1_PUBKEY_LENGTH,
  SECP256K1_SIGNATURE_LENGTH,
  SECP256K1_HASH_LENGTH,
} from './secp256k1.ts';
export { pubkeyToAddress, ADDRESS_LENGTH } from './address.ts';
