// Debian's PostgreSQL server, which the indexer test runs as a private cluster
// (test/support/postgres.ts) for CometBFT's psql event sink. The package's own service is not
// used: the test starts its own cluster in a temporary folder, on 127.0.0.1 and a free port.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDebianPackage } from './debian.ts';

const VERSIONS_DIR = '/usr/lib/postgresql';

/** The newest installed server's bin folder (initdb, postgres), or undefined when none is. */
export function postgresBinDir(): string | undefined {
  if (!existsSync(VERSIONS_DIR)) return undefined;
  const versions = readdirSync(VERSIONS_DIR)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(VERSIONS_DIR, v, 'bin', 'initdb')) && existsSync(join(VERSIONS_DIR, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(VERSIONS_DIR, versions[0], 'bin');
}

export function ensurePostgresql(log: (line: string) => void): string | undefined {
  return ensureDebianPackage({ pkg: 'postgresql', why: 'the indexer test runs CometBFT\'s psql event sink against it', find: postgresBinDir }, log);
}
