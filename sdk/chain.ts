// Chain facts the client needs. They mirror SPEC §1; the node has its own copy in its modules.

/** Bech32 prefix of account addresses (`cairn1…`). */
export const ADDRESS_PREFIX = 'cairn';
/** Base denomination of the native token. */
export const BASE_DENOM = 'ucairn';
/** Display denomination and its exponent: 1 CAIRN = 10^6 ucairn. */
export const DISPLAY_DENOM = 'CAIRN';
export const DISPLAY_EXPONENT = 6;
/** The Cosmos Hub path, so CosmJS and Keplr derive the same address from the same mnemonic. */
export const DEFAULT_HD_PATH = "m/44'/118'/0'/0/0";
/** Where the CometBFT JSON-RPC of a local node listens by default. */
export const DEFAULT_NODE = 'http://127.0.0.1:26657';
