import { registerError } from '../../core/framework/errors.ts';

export { ErrInvalidSigner } from '../../core/framework/authority.ts';

// Codes and descriptions as in the SDK's x/gov/types/errors.go (13, the invalid signer, is
// registered with the authority check every module shares).
const gov = (code: number, description: string) => registerError('gov', code, description);

export const ErrUnknownProposal = gov(2, 'unknown proposal');
export const ErrInactiveProposal = gov(3, 'inactive proposal');
export const ErrInvalidProposalContent = gov(5, 'invalid proposal content');
export const ErrInvalidProposalType = gov(6, 'invalid proposal type');
export const ErrInvalidVote = gov(7, 'invalid vote option');
export const ErrInvalidGenesis = gov(8, 'invalid genesis state');
export const ErrNoProposalHandlerExists = gov(9, 'no handler exists for proposal type');
export const ErrUnroutableProposalMsg = gov(10, 'proposal message not recognized by router');
export const ErrNoProposalMsgs = gov(11, 'no messages proposed');
export const ErrInvalidProposalMsg = gov(12, 'invalid proposal message');
export const ErrMetadataTooLong = gov(15, 'metadata too long');
export const ErrMinDepositTooSmall = gov(16, 'minimum deposit is too small');
export const ErrInvalidProposer = gov(18, 'invalid proposer');
export const ErrInvalidProposal = gov(21, 'invalid proposal');
export const ErrSummaryTooLong = gov(22, 'summary too long');
export const ErrInvalidDepositDenom = gov(23, 'invalid deposit denom');
