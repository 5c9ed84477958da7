// authz's events are the SDK's typed events: the proto message name as the type, each field's value
// JSON-encoded (so strings are quoted), as wallets and indexers read them from an SDK chain.
import type { Context } from '../../core/framework/context.ts';

export interface GrantEvent {
  readonly msgTypeUrl: string;
  readonly granter: string;
  readonly grantee: string;
}

export function emitGrantEvent(ctx: Context, type: 'EventGrant' | 'EventRevoke', e: GrantEvent): void {
  ctx.events.emit(`cosmos.authz.v1beta1.${type}`, {
    msg_type_url: JSON.stringify(e.msgTypeUrl),
    granter: JSON.stringify(e.granter),
    grantee: JSON.stringify(e.grantee),
  });
}
