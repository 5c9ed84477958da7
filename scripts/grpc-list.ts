// Lists the gRPC services a node serves, through server reflection (what `grpcurl -plaintext <addr> list`
// prints), for machines without grpcurl: node scripts/grpc-list.ts 127.0.0.1:9090
import * as grpc from '@grpc/grpc-js';
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';

const address = process.argv[2] ?? '127.0.0.1:9090';
const client = new grpc.Client(address, grpc.credentials.createInsecure());
const raw = (b: Buffer): Buffer => b;

/** The bytes of each length-delimited field `field` in a message. */
function fields(bytes: Uint8Array, field: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [f, wire] = r.tag();
    if (wire === 2 && f === field) out.push(r.bytes());
    else r.skipType(wire);
  }
  return out;
}

// ServerReflectionRequest { list_services = 7 } → ServerReflectionResponse { list_services_response = 6 { service = 1 { name = 1 } } }
const call = client.makeBidiStreamRequest('/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo', raw, raw, new grpc.Metadata(), { deadline: Date.now() + 10_000 });
call.on('data', (answer: Buffer) => {
  const listed = fields(answer, 6)[0] ?? new Uint8Array();
  for (const service of fields(listed, 1)) console.log(new TextDecoder().decode(fields(service, 1)[0]));
  call.end();
  client.close();
});
call.on('error', (err: Error) => {
  console.error(`cannot list the services of ${address}: ${err.message}`);
  process.exitCode = 1;
  client.close();
});
call.write(Buffer.from(new BinaryWriter().uint32(58).string('*').finish()));
