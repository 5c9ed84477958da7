// Amino schemas of Cairn's own messages, from the fields generated out of the .proto files
// (proto/gen/cairn/amino.ts): the generic amino rules (sdk/amino.ts) apply to them as they do to
// any SDK message without special annotations. Amino names are `cairn/<MsgName>`; the params
// messages, whose names repeat across modules, are `cairn/x/<module>/MsgUpdateParams` as the SDK
// names its own.
import { CAIRN_AMINO_FIELDS } from '../proto/gen/cairn/amino.ts';
import { type AminoKind, type AminoMessage, type AminoSchema, list } from './amino.ts';
import type { MessageType } from './messages.ts';

const schemas = new Map<string, AminoSchema>();

function schemaOf(fullName: string): AminoSchema {
  const known = schemas.get(fullName);
  if (known !== undefined) return known;
  const fields = CAIRN_AMINO_FIELDS[fullName];
  if (fields === undefined) throw new Error(`no amino fields generated for ${fullName}; run npm run proto`);
  const schema: Record<string, AminoKind | ReturnType<typeof list>> = {};
  for (const [name, kind, repeated] of fields) {
    const k = kind.includes('.') ? schemaOf(kind) : (kind as AminoKind);
    schema[name] = repeated ? list(k) : k;
  }
  schemas.set(fullName, schema);
  return schema;
}

/** The AminoMessages of a Cairn module's face. */
export function cairnModuleAmino(module: string, typeUrls: Readonly<Record<string, string>>, types: Readonly<Record<string, unknown>>): readonly AminoMessage[] {
  return Object.entries(typeUrls).map(([name, typeUrl]) => ({
    typeUrl,
    aminoType: name === 'MsgUpdateParams' ? `cairn/x/${module}/${name}` : `cairn/${name}`,
    type: types[name] as MessageType<unknown>,
    schema: schemaOf(typeUrl.slice(1)),
  }));
}
