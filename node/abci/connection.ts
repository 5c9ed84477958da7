// One ABCI connection: decode requests, queue them, write responses in request order.
//
// Error policy. CometBFT's client treats a ResponseException as fatal (it stops the client and kills
// the node), exactly as it treats a closed connection. So for a malformed frame, an unknown request
// or an app method that throws we never send ResponseException: we log one line with the remote
// address and the reason and close this connection. The outcome for CometBFT is the same, the cause
// is in our log rather than buried in an exception string, and other connections are untouched.
import type { Socket } from 'node:net';
import type { Request } from 'cosmjs-types/tendermint/abci/types';
import type { Logger } from '../log.ts';
import { decodeRequest, FrameDecoder } from './codec.ts';
import { AppMethodError, answer, requestKind, type RequestKind } from './dispatch.ts';
import type { SerialQueue } from './serial.ts';
import type { AbciApplication } from './types.ts';

/** Requests a connection may have queued before we stop reading from its socket. */
export const DEFAULT_MAX_PENDING_REQUESTS = 256;

/** Requests only the consensus connection sends (proxy/app_conn.go): its jobs go ahead of the others' (serial.ts). */
const CONSENSUS_KINDS: ReadonlySet<RequestKind> = new Set([
  'initChain',
  'prepareProposal',
  'processProposal',
  'extendVote',
  'verifyVoteExtension',
  'finalizeBlock',
  'commit',
]);

/** How long a failing connection may take to flush its last responses before it is destroyed. */
const CLOSE_GRACE_MS = 1000;

export interface AbciConnectionOptions {
  readonly id: number;
  /** Peer description for logs, e.g. "127.0.0.1:51234" or "unix:/tmp/app.sock". */
  readonly remote: string;
  readonly app: AbciApplication;
  /** Shared by every connection of a server: see serial.ts for why. */
  readonly queue: SerialQueue;
  readonly logger: Logger;
  readonly maxFrameBytes: number;
  /** See FrameDecoderOptions. */
  readonly initChainMaxFrameBytes?: number | undefined;
  readonly maxPendingRequests?: number;
}

export class AbciConnection {
  readonly id: number;
  readonly remote: string;
  /** Resolves when the socket has closed, for whatever reason. */
  readonly closed: Promise<void>;

  readonly #socket: Socket;
  readonly #opts: AbciConnectionOptions;
  readonly #decoder: FrameDecoder;
  readonly #maxPending: number;
  #pending = 0;
  #paused = false;
  /** No more requests are accepted; queued ones are still answered unless `#done`. */
  #stopReading = false;
  /** Nothing more will be written; queued jobs are skipped. */
  #done = false;
  #corked = false;
  /**
   * This is the consensus connection: its jobs take the queue's ahead lane. Decided at its first
   * consensus request with nothing of its own still queued, so its jobs never change lanes mid-stream
   * and stay in request order.
   */
  #ahead = false;

  constructor(socket: Socket, opts: AbciConnectionOptions) {
    this.id = opts.id;
    this.remote = opts.remote;
    this.#socket = socket;
    this.#opts = opts;
    this.#decoder = new FrameDecoder({ maxFrameBytes: opts.maxFrameBytes, initChainMaxFrameBytes: opts.initChainMaxFrameBytes });
    this.#maxPending = opts.maxPendingRequests ?? DEFAULT_MAX_PENDING_REQUESTS;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Starts reading. Call once. */
  start(): void {
    const socket = this.#socket;
    socket.setNoDelay?.(true); // responses are small and the client waits for them
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    socket.on('drain', () => this.#updateFlow());
    socket.on('error', (err) => this.#onSocketError(err));
    socket.on('close', () => {
      this.#done = true;
      this.#stopReading = true;
    });
    this.#opts.logger.info('ABCI connection opened', this.#fields());
  }

  /** Closes at once, dropping queued requests (used by server stop). */
  destroy(): void {
    this.#done = true;
    this.#stopReading = true;
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#stopReading) return;
    try {
      this.#decoder.push(chunk, (payload) => this.#onFrame(payload));
    } catch (err) {
      this.#failAfterQueued(`bad frame: ${describe(err)}`);
    }
  }

  #onFrame(payload: Uint8Array): void {
    if (this.#stopReading) return;
    let req: Request;
    let kind: RequestKind;
    try {
      req = decodeRequest(payload);
      kind = requestKind(req);
    } catch (err) {
      this.#failAfterQueued(`bad request: ${describe(err)}`);
      return;
    }
    if (!this.#ahead && this.#pending === 0 && CONSENSUS_KINDS.has(kind)) this.#ahead = true;
    this.#pending++;
    this.#opts.queue.push(() => this.#handle(kind, req), this.#ahead);
    this.#updateFlow();
  }

  async #handle(kind: RequestKind, req: Request): Promise<void> {
    if (this.#done) return;
    let frame: Uint8Array;
    try {
      frame = await answer(this.#opts.app, kind, req);
    } catch (err) {
      const reason = err instanceof AppMethodError ? err.message : `${kind} failed: ${describe(err)}`;
      this.#opts.logger.error('ABCI app method failed, closing connection', this.#fields({ method: kind, reason }));
      this.#close();
      return;
    }
    if (this.#done) return;
    this.#write(frame);
    this.#pending--;
    this.#updateFlow();
  }

  #onEnd(): void {
    if (this.#stopReading) return;
    try {
      this.#decoder.end();
    } catch (err) {
      this.#failAfterQueued(`peer closed mid-frame: ${describe(err)}`);
      return;
    }
    // The peer half-closed: answer what it already sent, then close our side.
    this.#stopReading = true;
    this.#opts.queue.push(async () => {
      if (this.#done) return;
      this.#opts.logger.info('ABCI connection closed by peer', this.#fields());
      this.#close();
    }, this.#ahead);
  }

  #onSocketError(err: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.#stopReading = true;
    this.#opts.logger.warn('ABCI connection error, closing', this.#fields({ reason: describe(err) }));
    // Node destroys the socket after 'error'; nothing more to do.
  }

  /** The stream is unusable: stop reading, answer requests already queued, then close. */
  #failAfterQueued(reason: string): void {
    if (this.#stopReading) return;
    this.#stopReading = true;
    this.#socket.pause();
    this.#opts.queue.push(async () => {
      if (this.#done) return;
      this.#opts.logger.warn('ABCI protocol error, closing connection', this.#fields({ reason }));
      this.#close();
    }, this.#ahead);
  }

  /** Flushes what was written, sends FIN, and destroys the socket once flushed (or after a grace period). */
  #close(): void {
    if (this.#done) return;
    this.#done = true;
    this.#stopReading = true;
    const socket = this.#socket;
    if (this.#corked) {
      this.#corked = false;
      socket.uncork();
    }
    const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    socket.end(() => {
      clearTimeout(timer);
      socket.destroy();
    });
  }

  // Responses finished in the same event-loop turn go out in one write.
  #write(frame: Uint8Array): void {
    const socket = this.#socket;
    if (!this.#corked) {
      this.#corked = true;
      socket.cork();
      setImmediate(() => {
        if (!this.#corked) return;
        this.#corked = false;
        socket.uncork();
      });
    }
    socket.write(frame);
  }

  // Back-pressure: stop reading while too many requests wait for an answer or while the peer is not
  // reading our answers, so a fast or stuck peer cannot make us buffer without bound.
  #updateFlow(): void {
    if (this.#stopReading) return;
    const mustPause = this.#pending >= this.#maxPending || this.#socket.writableNeedDrain;
    if (mustPause && !this.#paused) {
      this.#paused = true;
      this.#socket.pause();
    } else if (!mustPause && this.#paused && this.#pending <= this.#maxPending / 2) {
      this.#paused = false;
      this.#socket.resume();
    }
  }

  #fields(extra?: Record<string, unknown>): Record<string, unknown> {
    return { conn: this.id, remote: this.remote, ...extra };
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
