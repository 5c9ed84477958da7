// The bench's load generator reads CometBFT's answers with its own HTTP/1.1 reader (bench/load.ts):
// a misread answer would make every throughput figure wrong, so the reader is held to the framings
// Go's net/http uses, split anywhere, and to a clear error on anything else.
import { describe, expect, it } from 'vitest';
import { HttpReader, broadcastRequest } from '../bench/load.ts';

const body = '{"jsonrpc":"2.0","id":7,"result":{"code":0,"data":"","log":"","codespace":"","hash":"AB"}}';
const withLength = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Mon, 07 Dec 2026 00:00:00 GMT\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const chunked = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${(10).toString(16)}\r\n${body.slice(0, 10)}\r\n${(body.length - 10).toString(16)}\r\n${body.slice(10)}\r\n0\r\n\r\n`;

function readAll(reader: HttpReader, bytes: string, pieces: number[]): ReturnType<HttpReader['push']>[] {
  const out: ReturnType<HttpReader['push']>[] = [];
  let at = 0;
  for (const cut of [...pieces, bytes.length]) {
    const r = reader.push(Buffer.from(bytes.slice(at, cut), 'latin1'));
    if (r !== undefined) out.push(r);
    at = cut;
  }
  return out;
}

describe('the load generator', () => {
  it('builds one whole JSON-RPC POST per tx', () => {
    const text = broadcastRequest('127.0.0.1:26657', 3, 'CgQ=').toString('latin1');
    const [head, sent] = text.split('\r\n\r\n') as [string, string];
    expect(head.split('\r\n')[0]).toBe('POST / HTTP/1.1');
    expect(head).toContain(`Content-Length: ${sent.length}`);
    expect(JSON.parse(sent)).toEqual({ jsonrpc: '2.0', id: 3, method: 'broadcast_tx_sync', params: { tx: 'CgQ=' } });
  });

  it('reads an answer framed by Content-Length or by chunks, however the bytes are split', () => {
    for (const response of [withLength, chunked]) {
      for (let cut = 1; cut < response.length; cut += 7) {
        const [r, ...more] = readAll(new HttpReader(), response, [cut]);
        expect(more).toEqual([]);
        expect(r?.status).toBe(200);
        expect(r?.body.toString()).toBe(body);
        expect(r?.close).toBe(false);
      }
    }
  });

  it('reads two answers that arrive in one chunk, and sees a closing server', () => {
    const closing = withLength.replace('Content-Type', 'Connection: close\r\nContent-Type');
    const reader = new HttpReader();
    const first = reader.push(Buffer.from(withLength + closing.slice(0, 30), 'latin1'));
    expect(first?.body.toString()).toBe(body);
    const second = reader.push(Buffer.from(closing.slice(30), 'latin1'));
    expect(second?.body.toString()).toBe(body);
    expect(second?.close).toBe(true);
  });

  it('refuses what is not an HTTP/1.1 answer it can frame', () => {
    expect(() => new HttpReader().push(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow(/not an HTTP\/1.1 response/);
    expect(() => new HttpReader().push(Buffer.from('HTTP/1.1 200 OK\r\n\r\n{}'))).toThrow(/neither Content-Length nor chunked/);
    expect(() => new HttpReader().push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'))).toThrow(/malformed chunk size/);
    expect(() => new HttpReader().push(Buffer.alloc(20_000, 'a'))).toThrow(/no end of HTTP headers/);
  });
});
