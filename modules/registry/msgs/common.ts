// Shared by the message handlers: type URLs and response encoding.
import type { EncodedAny } from '../../../core/framework/module.ts';
import { typeUrl } from '../../../sdk/registry/messages.ts';

interface Encoder<T> {
  encode(message: T): { finish(): Uint8Array };
}

export function respond<T>(name: string, type: Encoder<T>, value: T): EncodedAny {
  return { typeUrl: typeUrl(name), value: type.encode(value).finish() };
}
