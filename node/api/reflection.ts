// gRPC server reflection (grpc.reflection.v1 and v1alpha ServerReflectionInfo), what `grpcurl` and
// `buf curl --reflect` ask first. Every service is listed. File descriptors (needed to describe or
// call a method by reflection) exist for Cairn's own services: proto/gen/cairn.binpb, built from
// proto/ by `npm run proto`. The Cosmos SDK's .proto files are not part of Cairn (cosmjs-types ships
// generated code only), so for a cosmos.* symbol reflection answers NOT_FOUND; clients pass the
// SDK's protos themselves (grpcurl -import-path … -proto …).
import { readFileSync } from 'node:fs';
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';

/** Length-delimited fields of a protobuf message, by field number (other wire types skipped). */
function fields(bytes: Uint8Array): Map<number, Uint8Array[]> {
  const out = new Map<number, Uint8Array[]>();
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [field, wireType] = r.tag();
    if (wireType === 2) {
      const list = out.get(field) ?? [];
      list.push(r.bytes());
      out.set(field, list);
    } else r.skipType(wireType);
  }
  return out;
}

const utf8 = new TextDecoder();
const str = (m: Map<number, Uint8Array[]>, n: number): string => utf8.decode(m.get(n)?.[0] ?? new Uint8Array());

export interface DescriptorIndex {
  /** File name → serialized FileDescriptorProto. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** File name → the files it imports. */
  readonly imports: ReadonlyMap<string, readonly string[]>;
  /** Fully qualified symbol (package.Message, package.Service, package.Service.Method) → its file. */
  readonly symbols: ReadonlyMap<string, string>;
}

/** Indexes a FileDescriptorSet (field 1: the files). */
export function indexDescriptors(set: Uint8Array): DescriptorIndex {
  const files = new Map<string, Uint8Array>();
  const imports = new Map<string, string[]>();
  const symbols = new Map<string, string>();
  for (const file of fields(set).get(1) ?? []) {
    const f = fields(file);
    const name = str(f, 1);
    const pkg = str(f, 2);
    files.set(name, file);
    imports.set(name, (f.get(3) ?? []).map((d) => utf8.decode(d)));
    const addMessages = (list: Uint8Array[] | undefined, scope: string): void => {
      for (const m of list ?? []) {
        const mf = fields(m);
        const full = `${scope}.${str(mf, 1)}`;
        symbols.set(full, name);
        addMessages(mf.get(3), full);
        for (const e of mf.get(4) ?? []) symbols.set(`${full}.${str(fields(e), 1)}`, name);
      }
    };
    addMessages(f.get(4), pkg);
    for (const e of f.get(5) ?? []) symbols.set(`${pkg}.${str(fields(e), 1)}`, name);
    for (const s of f.get(6) ?? []) {
      const sf = fields(s);
      const service = `${pkg}.${str(sf, 1)}`;
      symbols.set(service, name);
      for (const m of sf.get(2) ?? []) symbols.set(`${service}.${str(fields(m), 1)}`, name);
    }
  }
  return { files, imports, symbols };
}

let cairnIndex: DescriptorIndex | undefined;
/** Cairn's own descriptors, read once. */
export function cairnDescriptors(): DescriptorIndex {
  return (cairnIndex ??= indexDescriptors(readFileSync(new URL('../../proto/gen/cairn.binpb', import.meta.url))));
}

/** The file and everything it imports, the file first (as grpc-go's reflection answers). */
function withImports(index: DescriptorIndex, name: string): Uint8Array[] {
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (n: string): void => {
    if (seen.has(n) || !index.files.has(n)) return;
    seen.add(n);
    order.push(n);
    for (const d of index.imports.get(n) ?? []) visit(d);
  };
  visit(name);
  return order.map((n) => index.files.get(n)!);
}

const NOT_FOUND = 5;
const UNIMPLEMENTED = 12;

/** One ServerReflectionRequest → its ServerReflectionResponse (both serialized). */
export function answerReflection(request: Uint8Array, services: readonly string[], index: DescriptorIndex): Uint8Array {
  const req = fields(request);
  const w = new BinaryWriter();
  const host = req.get(1)?.[0];
  if (host !== undefined) w.uint32(10).bytes(host);
  w.uint32(18).bytes(request);
  const fileResponse = (files: Uint8Array[]): void => {
    w.uint32(34).fork();
    for (const f of files) w.uint32(10).bytes(f);
    w.ldelim();
  };
  const error = (code: number, message: string): void => {
    w.uint32(58).fork().uint32(8).int32(code).uint32(18).string(message).ldelim();
  };
  if (req.has(7)) {
    w.uint32(50).fork();
    for (const s of services) w.uint32(10).fork().uint32(10).string(s).ldelim();
    w.ldelim();
  } else if (req.has(3)) {
    const name = str(req, 3);
    if (index.files.has(name)) fileResponse(withImports(index, name));
    else error(NOT_FOUND, `file ${name} not found${name.startsWith('cosmos/') ? ': Cairn serves descriptors of its own services only; pass the Cosmos SDK protos to your client' : ''}`);
  } else if (req.has(4)) {
    const symbol = str(req, 4);
    const file = index.symbols.get(symbol);
    if (file !== undefined) fileResponse(withImports(index, file));
    else error(NOT_FOUND, `symbol ${symbol} not found${symbol.startsWith('cosmos.') ? ': Cairn serves descriptors of its own services only; pass the Cosmos SDK protos to your client' : ''}`);
  } else {
    error(UNIMPLEMENTED, 'only list_services, file_by_filename and file_containing_symbol are answered');
  }
  return w.finish();
}
