// What a proposal may hold, checked at submission as the SDK 0.50 keeper does: every message must
// be one the app routes (gov/10), hold no field its type does not have (gov/12: the strictness tx
// decoding applies to a tx's own messages, so a proposal cannot smuggle what a tx could not), be
// signed by the gov account alone (gov/13), and pass its own stateless checks (gov/12). A legacy (v1beta1) content must be a TextProposal, the one legacy
// content Cairn handles; it asks a question and changes nothing when it passes.
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { TextProposal } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import type { Context } from '../../core/framework/context.ts';
import { unknownFields } from '../../core/tx/unknown-fields.ts';
import { cairnRegistry } from '../../sdk/cosmjs-registry.ts';
import { TEXT_PROPOSAL_TYPE_URL } from '../../sdk/gov/messages.ts';
import type { GovRouter } from './deps.ts';
import { ErrInvalidProposalContent, ErrInvalidProposalMsg, ErrInvalidSigner, ErrNoProposalHandlerExists, ErrUnroutableProposalMsg } from './errors.ts';

/** Each message type's canonical encoder, from the registry wallets sign with. */
const registry = cairnRegistry();

export function checkProposalMessages(router: GovRouter, authority: Uint8Array, messages: readonly Any[], ctx: Context): void {
  const gov = ctx.addresses.encode(authority);
  for (const any of messages) {
    const handler = router.get(any.typeUrl);
    if (handler === undefined) throw ErrUnroutableProposalMsg.wrap(any.typeUrl);
    let msg: unknown;
    try {
      msg = handler.decode(any.value);
    } catch (err) {
      throw ErrInvalidProposalMsg.wrap(`${any.typeUrl} does not decode: ${(err as Error).message}`);
    }
    const type = registry.lookupType(any.typeUrl) as { encode(m: unknown): { finish(): Uint8Array } } | undefined;
    const unknown = type === undefined ? [] : unknownFields(any.value, type.encode(msg).finish(), false);
    if (unknown.length > 0) throw ErrInvalidProposalMsg.wrap(`${any.typeUrl} has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; this chain does not understand them`);
    const signers = handler.signers(msg);
    if (signers.length !== 1) throw ErrInvalidSigner.wrap(`${any.typeUrl} has ${signers.length} signers`);
    if (signers[0] !== gov) throw ErrInvalidSigner.wrap(signers[0]!);
    try {
      handler.validate(msg, ctx);
    } catch (err) {
      throw ErrInvalidProposalMsg.wrap((err as Error).message);
    }
  }
}

export const MAX_TEXT_TITLE = 140;
export const MAX_TEXT_DESCRIPTION = 10_000;

/** A v1beta1 content: a TextProposal with a title and a description (the SDK's ValidateAbstract). */
export function checkLegacyContent(content: Any | undefined): TextProposal {
  if (content === undefined) throw ErrInvalidProposalContent.wrap('missing content');
  if (content.typeUrl !== TEXT_PROPOSAL_TYPE_URL) throw ErrNoProposalHandlerExists.wrap(`${content.typeUrl}: the only legacy content Cairn handles is ${TEXT_PROPOSAL_TYPE_URL}; put messages in a cosmos.gov.v1 proposal instead`);
  let text: TextProposal;
  try {
    text = TextProposal.decode(content.value);
  } catch (err) {
    throw ErrInvalidProposalContent.wrap(`TextProposal does not decode: ${(err as Error).message}`);
  }
  if (text.title.trim() === '') throw ErrInvalidProposalContent.wrap('proposal title cannot be blank');
  if (text.title.length > MAX_TEXT_TITLE) throw ErrInvalidProposalContent.wrap(`proposal title is longer than max length of ${MAX_TEXT_TITLE}`);
  if (text.description.trim() === '') throw ErrInvalidProposalContent.wrap('proposal description cannot be blank');
  if (text.description.length > MAX_TEXT_DESCRIPTION) throw ErrInvalidProposalContent.wrap(`proposal description is longer than max length of ${MAX_TEXT_DESCRIPTION}`);
  return text;
}
