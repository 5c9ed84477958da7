// Listening with an HTTP server, the same way for every server the node runs.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on host:port (port 0: a free one) and returns the base URL; a failure rejects with `fail(reason)`, e.g. "address in use". */
export async function listenHttp(server: Server, host: string, port: number, fail: (reason: string) => Error): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => reject(fail(e.code === 'EADDRINUSE' ? 'address in use' : e.message));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return baseUrl(server);
}

/** http://address:port of a listening server (an IPv6 address in brackets). */
export function baseUrl(server: Server): string {
  const a = server.address() as AddressInfo;
  return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
}
