// The gRPC server `cairn start` serves when app.toml [grpc] enable = true (the default, as simd): every
// query service of the route table (node/api/routes.ts), answered through the same ApiQueries as the
// REST gateway (the app's ABCI query router, or the node's tx and tendermint services), plus server
// reflection (node/api/reflection.ts). Messages pass through as bytes: the server never re-encodes
// what the query router answers. A height is asked with the `x-cosmos-block-height` metadata, as in
// the SDK, and the answer carries it back.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../log.ts';
import { Lifecycle, type Service, type StartOptions } from '../service.ts';
import { answerReflection, cairnDescriptors } from './reflection.ts';
import { type ApiQueries, asApiError } from './router.ts';
import { ROUTES } from './routes.ts';
import { Code } from './status.ts';

export interface GrpcServerOptions {
  readonly host: string;
  /** 0: any free port (see `address` once started). */
  readonly port: number;
  readonly queries: ApiQueries;
  readonly logger: Logger;
  readonly maxRecvMsgSize: number;
  /** A connection with no call in flight this long is sent GOAWAY and closed: a client that connects and never calls cannot hold it. */
  readonly maxConnectionIdleMs: number;
}

export class GrpcListenError extends Error {
  override readonly name = 'GrpcListenError';
}

const bytes = {
  serialize: (b: Buffer): Buffer => b,
  deserialize: (b: Buffer): Buffer => b,
};

function method(path: string, stream: boolean): grpc.MethodDefinition<Buffer, Buffer> {
  return {
    path,
    requestStream: stream,
    responseStream: stream,
    requestSerialize: bytes.serialize,
    requestDeserialize: bytes.deserialize,
    responseSerialize: bytes.serialize,
    responseDeserialize: bytes.deserialize,
  };
}

const REFLECTION = ['grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'];
const HEIGHT = 'x-cosmos-block-height';

export class GrpcServer implements Service {
  readonly #o: GrpcServerOptions;
  readonly #life = new Lifecycle('gRPC server');
  #server: grpc.Server | undefined;
  #address: string | undefined;

  constructor(opts: GrpcServerOptions) {
    this.#o = opts;
  }

  /** host:port it listens on (the bound port, also when 0 was asked); known once started. */
  get address(): string {
    if (this.#address === undefined) throw new GrpcListenError('the gRPC server was never started');
    return this.#address;
  }

  start(opts: StartOptions = {}): Promise<void> {
    return this.#life.start(opts, () => this.#listen(), () => this.stop());
  }

  async #listen(): Promise<void> {
    // Bounded per connection: message size, concurrent calls, the memory of one HTTP/2 session, and
    // how long it may sit with no call.
    const server = new grpc.Server({
      'grpc.max_receive_message_length': this.#o.maxRecvMsgSize,
      'grpc.max_concurrent_streams': 100,
      'grpc-node.max_session_memory': 16,
      'grpc.max_connection_idle_ms': this.#o.maxConnectionIdleMs,
    });
    const services = new Map<string, string[]>();
    for (const r of ROUTES) services.set(r.service, [...(services.get(r.service) ?? []), r.rpc]);
    for (const [service, rpcs] of services) {
      const definition: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
      const impl: grpc.UntypedServiceImplementation = {};
      for (const rpc of rpcs) {
        definition[rpc] = method(`/${service}/${rpc}`, false);
        impl[rpc] = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => void this.#unary(`/${service}/${rpc}`, call, callback);
      }
      server.addService(definition, impl);
    }
    const names = [...services.keys(), ...REFLECTION].sort();
    const index = cairnDescriptors();
    for (const service of REFLECTION) {
      server.addService({ ServerReflectionInfo: method(`/${service}/ServerReflectionInfo`, true) }, {
        ServerReflectionInfo: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
          call.on('data', (req: Buffer) => {
            try {
              call.write(Buffer.from(answerReflection(req, names, index)));
            } catch (err) {
              call.destroy(Object.assign(new Error(`malformed reflection request: ${(err as Error).message}`), { code: Code.InvalidArgument }));
            }
          });
          call.on('end', () => call.end());
        },
      });
    }
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${this.#o.host.includes(':') ? `[${this.#o.host}]` : this.#o.host}:${this.#o.port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => {
        if (err !== null) reject(new GrpcListenError(`gRPC cannot listen on ${this.#o.host}:${this.#o.port}: ${err.message}; change [grpc] address in app.toml or set enable = false`));
        else resolve(bound);
      });
    });
    this.#server = server;
    this.#address = `${this.#o.host}:${port}`;
  }

  async #unary(path: string, call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>): Promise<void> {
    const heightText = call.metadata.get(HEIGHT)[0];
    let height = 0n;
    if (heightText !== undefined) {
      if (typeof heightText !== 'string' || !/^\d{1,19}$/.test(heightText)) {
        callback({ code: Code.InvalidArgument, details: `${HEIGHT} must be a block height` });
        return;
      }
      height = BigInt(heightText);
    }
    const cancelled = new AbortController();
    call.once('cancelled', () => cancelled.abort());
    try {
      const answer = await this.#o.queries.call(path, call.request, height, cancelled.signal);
      if (answer.height > 0n) {
        const md = new grpc.Metadata();
        md.set(HEIGHT, answer.height.toString());
        call.sendMetadata(md);
      }
      callback(null, Buffer.from(answer.value));
    } catch (err) {
      const e = asApiError(err);
      callback({ code: e.code, details: e.message });
    }
  }

  stop(): Promise<void> {
    return this.#life.stop(async () => {
      const server = this.#server;
      if (server === undefined) return;
      // Calls in flight get a second to finish; then the rest are cut.
      await Promise.race([new Promise<void>((resolve) => server.tryShutdown(() => resolve())), new Promise((r) => setTimeout(r, 1000))]);
      server.forceShutdown();
    });
  }
}
