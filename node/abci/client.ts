// A minimal ABCI socket client: what CometBFT does on one proxy connection, without the Flush
// batching. For tests and tools (talking to our own server), not for production use.
import { createConnection, type Socket } from 'node:net';
import type { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import { decodeResponse, encodeRequest, FrameDecoder } from './codec.ts';
import { parseAbciAddress } from './server.ts';

export class AbciClientClosedError extends Error {
  override name = 'AbciClientClosedError';
}

export class AbciClient {
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
  readonly #socket: Socket;
  readonly #decoder = new FrameDecoder();
  readonly #waiting: { resolve: (r: Response) => void; reject: (e: Error) => void }[] = [];
  #closedReason: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      try {
        this.#decoder.push(chunk, (payload) => this.#settle(decodeResponse(payload)));
      } catch (err) {
        socket.destroy(err instanceof Error ? err : new Error(String(err)));
      }
    });
    socket.on('error', (err) => {
      this.#closedReason ??= err;
    });
    socket.on('close', () => {
      const reason = new AbciClientClosedError(
        `connection closed${this.#closedReason === undefined ? '' : `: ${this.#closedReason.message}`}`,
      );
      this.#closedReason = reason;
      for (const w of this.#waiting.splice(0)) w.reject(reason);
    });
  }

  static connect(address: string): Promise<AbciClient> {
    const a = parseAbciAddress(address);
    const socket = a.kind === 'unix' ? createConnection(a.path) : createConnection(a.port, a.host);
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.setNoDelay(true);
        resolve(new AbciClient(socket));
      });
    });
  }

  /** Sends `req`; resolves with its response. Calls may be pipelined: answers arrive in order. */
  call(req: Request): Promise<Response> {
    return new Promise((resolve, reject) => {
      if (this.#closedReason !== undefined) {
        reject(this.#closedReason);
        return;
      }
      this.#waiting.push({ resolve, reject });
      this.#socket.write(encodeRequest(req));
    });
  }

  /** Writes raw bytes (for testing how a server handles bad input). */
  writeRaw(bytes: Uint8Array): void {
    this.#socket.write(bytes);
  }

  /** Half-closes: no more requests, answers still arrive. */
  end(): void {
    this.#socket.end();
  }

  close(): Promise<void> {
    this.#socket.destroy();
    return this.closed;
  }

  #settle(res: Response): void {
    const w = this.#waiting.shift();
    if (w === undefined) {
      this.#socket.destroy(new Error('unsolicited response'));
      return;
    }
    w.resolve(res);
  }
}
