// An HTTPS server on 127.0.0.1 for tests whose processes must reach an https:// endpoint (the
// registry accepts only https endpoints, and validators' availability probers fetch them). Its
// certificate is a self-signed one for the IP 127.0.0.1 made for these tests (valid 2000–2100);
// a process trusts it through NODE_EXTRA_CA_CERTS pointing at `caFile`.
import { createServer } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQghvrtOeXf5RCCo8Y7
5ahKu1c+CtHyBoP42ZMjbKSzgPChRANCAART9grFWqIwwQA39zvCV5e5AHH9cdcp
9i3xwhfu3U2V9KSBOVQWKs0XuHbwFvrhXkE9cJ2APXJhuxDkav3EdFpZ
-----END PRIVATE KEY-----
`;

const CERT = `-----BEGIN CERTIFICATE-----
MIIBaTCCAQ+gAwIBAgIBATAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAkxMjcuMC4w
LjEwIBcNMDAwMTAxMDAwMDAwWhgPMjEwMDAxMDEwMDAwMDBaMBQxEjAQBgNVBAMM
CTEyNy4wLjAuMTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABFP2CsVaojDBADf3
O8JXl7kAcf1x1yn2LfHCF+7dTZX0pIE5VBYqzRe4dvAW+uFeQT1wnYA9cmG7EORq
/cR0WlmjUDBOMA8GA1UdEQQIMAaHBH8AAAEwDwYDVR0TAQH/BAUwAwEB/zALBgNV
HQ8EBAMCAoQwHQYDVR0OBBYEFG6/LDq3VEJTFUutTNwxQUobXpZjMAoGCCqGSM49
BAMCA0gAMEUCIQDlmwrJVVlWax5MIoR5H4pKzEhJqe9491BBMqLaCTNTfgIgC9dY
+CZPe/piHbheZ08PFJW9kQpiGHFCaxMOFpfM5Xk=
-----END CERTIFICATE-----
`;

export interface LoopbackHttps {
  /** https://127.0.0.1:<port> */
  readonly url: string;
  /** The certificate, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  /** Requests answered so far. */
  readonly requests: () => number;
  close(): Promise<void>;
}

/** Answers every request with 200 until closed. */
export async function startLoopbackHttps(): Promise<LoopbackHttps> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-https-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, CERT);
  let requests = 0;
  const server = createServer({ key: KEY, cert: CERT }, (_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}`,
    caFile,
    requests: () => requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
