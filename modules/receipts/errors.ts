// The receipts module's registered errors (codespace "receipts"). Each bad input has its own code;
// the log names the field and why.
import { registerError } from '../../core/framework/errors.ts';

const err = (code: number, description: string) => registerError('receipts', code, description);

export const ErrInvalidParams = err(2, 'invalid receipts params');
export const ErrUnauthorized = err(3, 'signer is not the params authority');
export const ErrInvalidAmount = err(4, 'invalid amount');
export const ErrInsufficientEscrow = err(5, 'insufficient escrow');
export const ErrTooManyWithdrawals = err(6, 'too many pending withdrawals');
export const ErrInvalidBatch = err(7, 'invalid batch');
export const ErrOperatorNotActive = err(8, 'operator is not active');
export const ErrDuplicateRoot = err(9, 'batch root already submitted');
export const ErrInvalidEpoch = err(10, 'epoch not open for batches');
export const ErrBatchNotFound = err(11, 'batch not found');
export const ErrBatchNotPending = err(12, 'batch is not pending');
export const ErrWindowClosed = err(13, 'dispute window closed');
export const ErrInvalidProof = err(14, 'invalid proof');
export const ErrNotRequested = err(15, 'leaf was not asked for');
export const ErrNoFault = err(16, 'no fault shown');
export const ErrDuplicateEvidence = err(17, 'evidence already processed');
export const ErrInvalidReceipt = err(18, 'malformed receipt');
export const ErrInvalidChallenge = err(19, 'invalid challenge');
export const ErrInvalidBond = err(20, 'invalid challenge bond');
export const ErrAlreadyRequested = err(21, 'leaf already asked for or revealed');
export const ErrTooManyRequests = err(22, 'too many open requests on this batch');
export const ErrReservationNotFound = err(23, 'reservation not found');
export const ErrInvalidReservation = err(24, 'invalid reservation');
export const ErrNotReservable = err(25, 'GPU is not reservable');
export const ErrReservationState = err(26, 'reservation is not in the right state');
export const ErrNotReservationParty = err(27, 'signer is not a party of the reservation');
export const ErrNoBatchSignature = err(28, 'batch carries no payer batch signature');
export const ErrBatchSignatureChain = err(29, 'payer batch signature is for another chain');
export const ErrPayerKeyNotAuthorized = err(30, 'batch signed by a key the payer never authorised');
export const ErrPayerKeyRevoked = err(31, 'batch signed by a revoked payer key');
export const ErrBatchSignatureReplayed = err(32, 'payer batch signature already used by another batch');
export const ErrBatchSignatureMismatch = err(33, 'payer batch signature does not match the batch');
