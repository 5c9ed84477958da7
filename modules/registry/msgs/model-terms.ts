// Checks shared by MsgRegisterModel and MsgUpdateModel: the terms an author may set.
import type { AddressCodec } from '../../../core/framework/address.ts';
import type { Eval, Params, RoyaltyRecipient } from '../../../proto/gen/cairn/registry/v1/types.ts';
import { ErrInvalidEval, ErrInvalidRecipients, ErrRoyaltyTooHigh } from '../errors.ts';
import { checkEvals, checkLicense, checkRoyalty } from '../validate.ts';

export interface ModelTerms {
  readonly license: string;
  readonly evals: readonly Eval[];
  readonly royaltyBps: number;
  readonly recipients: readonly RoyaltyRecipient[];
}

export function checkTerms(terms: ModelTerms, addresses: AddressCodec): void {
  checkLicense(terms.license);
  checkEvals(terms.evals);
  checkRoyalty(terms.royaltyBps, terms.recipients, addresses);
}

/** The params' caps: royalty, recipients and evals. */
export function checkTermLimits(terms: ModelTerms, params: Params): void {
  if (terms.royaltyBps > params.maxRoyaltyBps) throw ErrRoyaltyTooHigh.wrap(`royalty_bps ${terms.royaltyBps} > max_royalty_bps ${params.maxRoyaltyBps}`);
  if (terms.recipients.length > params.maxRoyaltyRecipients) {
    throw ErrInvalidRecipients.wrap(`${terms.recipients.length} recipients; max_royalty_recipients is ${params.maxRoyaltyRecipients}`);
  }
  if (terms.evals.length > params.maxEvals) throw ErrInvalidEval.wrap(`${terms.evals.length} evals; max_evals is ${params.maxEvals}`);
}
