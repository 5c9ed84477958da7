// Shared by the message handlers: type URLs and response encoding.
import type { EncodedAny } from '../../../node/framework/module.ts';

export const PACKAGE = 'cairn.registry.v1';

export function typeUrl(name: string): string {
  return `/${PACKAGE}.${name}`;
}

interface Encoder<T> {
  encode(message: T): { finish(): Uint8Array };
}

export function respond<T>(name: string, type: Encoder<T>, value: T): EncodedAny {
  return { typeUrl: typeUrl(name), value: type.encode(value).finish() };
}
