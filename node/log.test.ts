import { describe, expect, it } from 'vitest';
import { LogLevelError, componentLogger, createLogger, parseLogLevels, silentLogger } from './log.ts';

const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const at = new Date('2026-12-06T00:00:00.000Z');

function capture(levels = 'info'): { lines: string[]; objects: () => Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const logger = createLogger({ name: 'cairn', write: (l) => lines.push(l), levels, now: () => at });
  return { lines, objects: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>), logger };
}

describe('the node logger', () => {
  it('writes one JSON object per line with level, time, component, message and the fields (bigints and errors as strings)', () => {
    const { lines, logger } = capture();
    logger.info('app loaded', { height: 12n, appHash: 'AB12', error: new Error('boom'), skipped: undefined });
    expect(lines).toEqual(['{"level":"info","time":"2026-12-06T00:00:00.000Z","component":"cairn","height":"12","appHash":"AB12","error":"boom","msg":"app loaded"}']);
  });

  it('gives each component its own level', () => {
    const { objects, logger } = capture('warn,p2p=info');
    logger.info('root info is below warn');
    componentLogger(logger, 'p2p').info('p2p info is kept', { peer: 'x' });
    componentLogger(logger, 'abci').info('abci follows the default');
    componentLogger(logger, 'abci').error('abci error is kept');
    expect(objects().map((o) => [o['component'], o['level'], o['msg']])).toEqual([
      ['p2p', 'info', 'p2p info is kept'],
      ['abci', 'error', 'abci error is kept'],
    ]);
  });

  it('never writes a secret: fields named like one, and a mnemonic under any name', () => {
    const { lines, objects, logger } = capture();
    logger.warn('keys', { mnemonic: MNEMONIC, privateKey: 'deadbeef', priv_key: 'beef', password: 'hunter2', note: MNEMONIC, nested: { seed: 'x', token: 'y', ok: 'z' }, seeds: 'a@b:1', tokens: '100' });
    const text = lines.join('\n');
    for (const secret of ['abandon', 'deadbeef', 'beef', 'hunter2']) expect(text).not.toContain(secret);
    expect(objects()[0]).toMatchObject({ mnemonic: '[redacted]', privateKey: '[redacted]', note: '[redacted]', nested: { seed: '[redacted]', token: '[redacted]', ok: 'z' }, seeds: 'a@b:1', tokens: '100' });
  });

  it('writes pretty lines for people when asked (a terminal gets them by default)', () => {
    const lines: string[] = [];
    createLogger({ name: 'cairn', write: (l) => lines.push(l), format: 'pretty', now: () => at }).warn('disk almost full', { free: '1GB' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/WARN.*cairn: disk almost full\n\s+free: "1GB"/);
  });

  it('reads level specs and refuses bad ones with the accepted forms', () => {
    expect(parseLogLevels('warn,p2p=debug, abci = error')).toEqual({ level: 'warn', components: new Map([['p2p', 'debug'], ['abci', 'error']]) });
    expect(parseLogLevels('')).toEqual({ level: 'info', components: new Map() });
    expect(() => parseLogLevels('loud')).toThrow(LogLevelError);
    expect(() => parseLogLevels('p2p=verbose')).toThrow(/unknown log level "verbose".*debug, info, warn, error, silent/);
    expect(() => parseLogLevels('P 2=info')).toThrow(/bad component name/);
  });

  it('leaves a logger without children (a test double) as it is', () => {
    expect(componentLogger(silentLogger, 'p2p')).toBe(silentLogger);
  });
});
