// The Cosmos SDK's root errors (codespace "sdk", types/errors/errors.go). Wallets and explorers
// match on these numbers, so the codes and descriptions are copied exactly.
import { registerError } from './errors.ts';

const sdk = (code: number, description: string) => registerError('sdk', code, description);

export const ErrTxDecode = sdk(2, 'tx parse error');
export const ErrInvalidSequence = sdk(3, 'invalid sequence');
export const ErrUnauthorized = sdk(4, 'unauthorized');
export const ErrInsufficientFunds = sdk(5, 'insufficient funds');
export const ErrUnknownRequest = sdk(6, 'unknown request');
export const ErrInvalidAddress = sdk(7, 'invalid address');
export const ErrInvalidPubKey = sdk(8, 'invalid pubkey');
export const ErrUnknownAddress = sdk(9, 'unknown address');
export const ErrInvalidCoins = sdk(10, 'invalid coins');
export const ErrOutOfGas = sdk(11, 'out of gas');
export const ErrMemoTooLarge = sdk(12, 'memo too large');
export const ErrInsufficientFee = sdk(13, 'insufficient fee');
export const ErrTooManySignatures = sdk(14, 'maximum number of signatures exceeded');
export const ErrNoSignatures = sdk(15, 'no signatures supplied');
export const ErrInvalidRequest = sdk(18, 'invalid request');
export const ErrTxInMempoolCache = sdk(19, 'tx already in mempool');
export const ErrTxTooLarge = sdk(21, 'tx too large');
export const ErrKeyNotFound = sdk(22, 'key not found');
export const ErrInvalidHeight = sdk(26, 'invalid height');
export const ErrInvalidChainID = sdk(28, 'invalid chain-id');
export const ErrInvalidType = sdk(29, 'invalid type');
export const ErrTxTimeoutHeight = sdk(30, 'tx timeout height');
export const ErrWrongSequence = sdk(32, 'incorrect account sequence');
export const ErrNotSupported = sdk(37, 'feature not supported');
export const ErrNotFound = sdk(38, 'not found');
export const ErrInvalidGasLimit = sdk(41, 'invalid gas limit');
