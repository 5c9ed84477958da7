// What every module's client face (sdk/<module>/messages.ts) is made of. A face spells its type URLs
// once, in a `<MODULE>_TYPE_URLS` table keyed by message name; from that table and the generated
// types it derives the CosmJS Registry entries (`<module>Types`) and one EncodeObject builder per
// message (`<module>Msgs.MsgX(value)`), typed so that a builder's type URL and value always match.
import type { EncodeObject, GeneratedType } from '@cosmjs/proto-signing';

/** A generated message type (ts-proto or cosmjs-types): what a CosmJS Registry calls on it. */
export interface MessageType<T> {
  decode(input: Uint8Array): T;
  encode(message: T): { finish(): Uint8Array };
  fromPartial(object: never): T;
}

/** A message ready for a signing client. As in CosmJS, fields left out get their protobuf defaults. */
export interface TypedEncodeObject<U extends string, T> extends EncodeObject {
  readonly typeUrl: U;
  readonly value: Partial<T>;
}

type TypeUrls = Readonly<Record<string, string>>;
type TypesOf<U extends TypeUrls> = { readonly [K in keyof U]: MessageType<unknown> };
type ValueOf<F> = F extends MessageType<infer T> ? T : never;

/** The EncodeObject of every message of a face, by message name. */
export type EncodeObjects<U extends TypeUrls, F extends TypesOf<U>> = { readonly [K in keyof U]: TypedEncodeObject<U[K], ValueOf<F[K]>> };

/** One builder per message, by message name: `registryMsgs.MsgAddBond({ operator, amount })`. */
export type EncodeObjectBuilders<U extends TypeUrls, F extends TypesOf<U>> = {
  readonly [K in keyof U]: (value: Partial<ValueOf<F[K]>>) => TypedEncodeObject<U[K], ValueOf<F[K]>>;
};

/** [type URL, generated type] for a CosmJS Registry, one per entry of `typeUrls`. */
export function generatedTypes<U extends TypeUrls>(typeUrls: U, types: TypesOf<U>): ReadonlyArray<[string, GeneratedType]> {
  // ts-proto types built on @bufbuild/protobuf are not protobufjs-typed, but CosmJS only calls
  // fromPartial, encode(…).finish() and decode on them.
  return Object.keys(typeUrls).map((name) => [typeUrls[name]!, types[name] as unknown as GeneratedType]);
}

export function encodeObjectBuilders<U extends TypeUrls, F extends TypesOf<U>>(typeUrls: U, _types: F): EncodeObjectBuilders<U, F> {
  return Object.fromEntries(Object.entries(typeUrls).map(([name, typeUrl]) => [name, (value: object) => ({ typeUrl, value })])) as EncodeObjectBuilders<U, F>;
}
