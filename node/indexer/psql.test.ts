// The event-query reader without a database: what it understands, and what it refuses before any SQL
// is sent (the SQL itself runs against a real PostgreSQL in test/psql-indexer.test.ts).
import { describe, expect, it } from 'vitest';
import { PsqlIndexError, PsqlTxIndex, parseTxQuery, redact } from './psql.ts';
import { freePorts } from '../cometbft/ports.ts';

describe('parseTxQuery', () => {
  it('reads the forms the explorer and clients send', () => {
    expect(parseTxQuery('tx.height>0')).toEqual([{ key: 'tx.height', op: '>', value: 0n }]);
    expect(parseTxQuery("message.sender='cairn1abc' AND tx.height <= 42")).toEqual([
      { key: 'message.sender', op: '=', value: 'cairn1abc' },
      { key: 'tx.height', op: '<=', value: 42n },
    ]);
    expect(parseTxQuery("transfer.recipient EXISTS and escrow_deposit.amount CONTAINS 'ucairn'")).toEqual([
      { key: 'transfer.recipient', op: 'EXISTS' },
      { key: 'escrow_deposit.amount', op: 'CONTAINS', value: 'ucairn' },
    ]);
  });

  it('refuses anything else with the reason', () => {
    expect(() => parseTxQuery("message.sender='x' OR 1=1")).toThrow(/expected AND/);
    expect(() => parseTxQuery("message.sender='x'; DROP TABLE blocks")).toThrow(/expected AND/);
    expect(() => parseTxQuery('message.sender=')).toThrow(/needs a value/);
    expect(() => parseTxQuery("message.sender='unterminated")).toThrow(/needs a value/);
    expect(() => parseTxQuery('tx.height ~ 3')).toThrow(/cannot read the query/);
    expect(() => parseTxQuery("a.b EXISTS 'x'")).toThrow(/takes no value/);
    expect(() => parseTxQuery(Array.from({ length: 9 }, () => 'tx.height>0').join(' AND '))).toThrow(/at most 8 conditions/);
    expect(() => parseTxQuery(`a.b='${'x'.repeat(600)}'`)).toThrow(/over 512 characters/);
  });
});

describe('PsqlTxIndex without a database', () => {
  it('refuses bad input before connecting, and a database that is not there is a PsqlIndexError', async () => {
    expect(() => new PsqlTxIndex({ url: 'mysql://root:pw@db/x', chainId: 'c' })).toThrow(/postgres:\/\/ URL, got "mysql:\/\/root:\*\*\*@db\/x"/);
    const [port] = (await freePorts(1)) as [number];
    const index = new PsqlTxIndex({ url: `postgres://u:secret@127.0.0.1:${port}/db`, chainId: 'c', timeoutMs: 1000 });
    try {
      await expect(index.search('tx.height>0', { limit: 101 })).rejects.toThrow(/limit must be 1 to 100/);
      await expect(index.search('tx.height>0', { limit: 100, page: 101 })).rejects.toThrow(/at most 10000/);
      await expect(index.search("a.b > 'x'")).rejects.toThrow(/only tx.height compares numbers/);
      await expect(index.getTx('zz')).rejects.toThrow(/64 hex digits/);
      const down = await index.getTx('AB'.repeat(32)).catch((e: unknown) => e);
      expect(down).toBeInstanceOf(PsqlIndexError);
      expect((down as Error).message).toMatch(/did not answer/);
      expect((down as Error).message).not.toContain('secret');
    } finally {
      await index.close();
    }
  });

  it('hides the password of a URL in messages', () => {
    expect(redact('postgres://cairn:s3cr@t@host:5432/db')).toBe('postgres://cairn:***@host:5432/db');
    expect(redact('postgres://host/db')).toBe('postgres://host/db');
  });
});
