// MsgExec: the grantee runs messages whose signer is a granter. Each inner message must be one the
// app routes, signed by exactly one account; unless that account is the grantee itself, its grant
// for the message's type must exist, be unexpired and accept the message (a SendAuthorization's
// limit decreases, a used-up grant is deleted). The message then runs through its own module's
// handler, as if the granter had signed it.
import { MsgExec, MsgExecResponse } from 'cosmjs-types/cosmos/authz/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Context } from '../../../core/framework/context.ts';
import { AppError, rewrap } from '../../../core/framework/errors.ts';
import { EventSink } from '../../../core/framework/events.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ErrInvalidRequest, ErrTxDecode } from '../../../core/framework/sdk-errors.ts';
import { AUTHZ_TYPE_URLS } from '../../../sdk/authz/messages.ts';
import { cairnRegistry } from '../../../sdk/cosmjs-registry.ts';
import { rejectUnknownFields } from '../../../core/tx/decode.ts';
import { decodeNamed } from '../../bank/msgs/send.ts';
import { accept, decodeAuthorization } from '../authorization.ts';
import type { AuthzRouter } from '../deps.ts';
import { ErrAuthorizationExpired, ErrAuthorizationNumOfSigners, ErrNoAuthorizationFound } from '../errors.ts';
import { type AuthzKeeper, isExpired } from '../keeper.ts';

/** MsgExec inside MsgExec is allowed, to this depth: deeper nesting only serves to exhaust the stack. */
const MAX_NESTING = 5;

/** Every routed message's type, to re-encode an inner message and find the fields its decoder skipped. */
const registry = cairnRegistry();

interface Inner {
  readonly handler: MsgHandler;
  readonly msg: unknown;
  readonly typeUrl: string;
}

function decodeInner(router: AuthzRouter, any: Any): Inner {
  const handler = router.get(any.typeUrl);
  if (handler === undefined) throw ErrTxDecode.wrap(`unable to resolve type URL ${any.typeUrl}`);
  let msg: unknown;
  try {
    msg = handler.decode(any.value);
  } catch (err) {
    throw ErrTxDecode.wrap(`failed to decode ${any.typeUrl}: ${(err as Error).message}`);
  }
  // As for the tx's own messages: fields this chain does not know are refused, not ignored.
  const type = registry.lookupType(any.typeUrl) as { encode(m: unknown): { finish(): Uint8Array } } | undefined;
  if (type !== undefined) rejectUnknownFields(any.typeUrl, any.value, type.encode(msg).finish(), true);
  return { handler, msg, typeUrl: any.typeUrl };
}

export function msgExec(k: AuthzKeeper, router: AuthzRouter): MsgHandler<MsgExec> {
  const nesting = (msg: MsgExec, depth: number): void => {
    if (depth > MAX_NESTING) throw ErrInvalidRequest.wrap(`MsgExec nested more than ${MAX_NESTING} deep`);
    for (const any of msg.msgs) if (any.typeUrl === AUTHZ_TYPE_URLS.MsgExec) nesting(decodeInner(router, any).msg as MsgExec, depth + 1);
  };

  return {
    typeUrl: AUTHZ_TYPE_URLS.MsgExec,
    decode: (bytes) => MsgExec.decode(bytes),
    signers: (msg) => [msg.grantee],

    validate(msg, ctx) {
      decodeNamed(ctx.addresses, msg.grantee, 'grantee');
      if (msg.msgs.length === 0) throw ErrInvalidRequest.wrap('messages cannot be empty');
      nesting(msg, 1);
      for (const any of msg.msgs) {
        const inner = decodeInner(router, any);
        inner.handler.validate(inner.msg, ctx);
      }
    },

    async execute(msg, ctx) {
      const grantee = ctx.addresses.decode(msg.grantee);
      const results: Uint8Array[] = [];
      for (const [index, any] of msg.msgs.entries()) {
        const inner = decodeInner(router, any);
        const signers = inner.handler.signers(inner.msg);
        if (signers.length !== 1) throw ErrAuthorizationNumOfSigners.wrap(`${inner.typeUrl} has ${signers.length} signers`);
        const granter = ctx.addresses.decode(signers[0]!);
        if (signers[0] !== msg.grantee) await spendGrant(k, ctx, granter, grantee, inner);
        const sink = new EventSink();
        let response;
        try {
          response = await inner.handler.execute(inner.msg, { ...ctx, events: sink });
        } catch (err) {
          throw err instanceof AppError ? rewrap(err, `failed to execute message; message ${inner.typeUrl}`) : err;
        }
        results.push(response.value);
        const tag = { key: 'authz_msg_index', value: String(index), index: true };
        ctx.events.append(sink.events.map((e) => ({ ...e, attributes: [...e.attributes, tag] })));
      }
      return msgResponse(AUTHZ_TYPE_URLS.MsgExec, MsgExecResponse, { results });
    },
  };
}

async function spendGrant(k: AuthzKeeper, ctx: Context, granter: Uint8Array, grantee: Uint8Array, inner: Inner): Promise<void> {
  const grant = await k.grant(ctx.store, granter, grantee, inner.typeUrl);
  if (grant === undefined) {
    throw ErrNoAuthorizationFound.wrap(
      `failed to get grant with given granter: ${ctx.addresses.encode(granter)}, grantee: ${ctx.addresses.encode(grantee)} & msgType: ${inner.typeUrl} `,
    );
  }
  if (isExpired(grant, ctx.block.time)) throw ErrAuthorizationExpired.wrap(`grant of ${inner.typeUrl} from ${ctx.addresses.encode(granter)}`);
  const authorization = decodeAuthorization(grant.authorization, ctx.addresses);
  const result = accept(authorization, inner.msg, ctx);
  if (result.delete) await k.delete(ctx, granter, grantee, inner.typeUrl);
  else if (result.updated !== undefined) await k.save(ctx, granter, grantee, result.updated, grant.expiration);
}
