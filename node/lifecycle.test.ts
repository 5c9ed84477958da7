// Every long-lived part of a node has the same start()/stop() shape (node/service.ts): stopping twice
// is one stop, stopping while a piece of work is in flight waits for it, and aborting the start
// signal stops the part. One block per part, each made busy where its real work waits.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { ClassicLevel } from '../core/store/level-reads.ts';
import { silentLogger } from './log.ts';
import { PeriodicTask } from './periodic.ts';
import { ServiceStoppedError, type Service } from './service.ts';
import { AvailabilityReporter } from './availability/reporter.ts';
import { MetricsServer } from './metrics/server.ts';
import { P2pService, p2pStorePath } from './p2p/service.ts';
import { FundsCheck } from './watcher/funds.ts';
import { queryWatcherChain } from './watcher/sources.ts';
import { openClaims } from '../test/support/watcher.ts';
import { Watcher } from './watcher/watcher.ts';
import { WatcherService, watcherStorePath } from './watcher/service.ts';
import type { CairnApp } from './app.ts';

/** A promise with its resolve, for work that waits until the test lets it go. */
function gate(): { readonly wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

/** Resolves when `p` settles; reports whether it did within a few event-loop turns. */
async function settledSoon(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  return done;
}

/** Polls `cond` until it holds (generous deadline; never a fixed sleep as the check). */
async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The shared contract: stop twice is one stop; a stopped part refuses to start again. */
async function stopsTwice(part: Service): Promise<void> {
  await part.start();
  const first = part.stop();
  const second = part.stop();
  expect(second).toBe(first);
  await first;
  await part.stop();
  await expect(part.start()).rejects.toThrow(ServiceStoppedError);
}

const homes: string[] = [];
afterAll(async () => {
  await Promise.all(homes.map((h) => rm(h, { recursive: true, force: true })));
});

describe('a periodic task', () => {
  it('stops once however often it is told, and cannot be started again', async () => {
    await stopsTwice(new PeriodicTask({ name: 'job', job: async () => undefined, intervalMs: 10, onError: () => undefined }));
  });

  it('waits for the pass in flight, whose signal is aborted, and runs no pass after', async () => {
    const g = gate();
    let passes = 0;
    let sawAbort = false;
    const task = new PeriodicTask({
      name: 'job',
      job: async (signal) => {
        passes++;
        await g.wait;
        sawAbort = signal.aborted;
      },
      intervalMs: 5,
      onError: () => undefined,
      passAtStart: true,
    });
    await task.start();
    await until(() => passes === 1, 'the first pass');
    const stopped = task.stop();
    expect(await settledSoon(stopped)).toBe(false);
    g.open();
    await stopped;
    expect(sawAbort).toBe(true);
    await task.tick();
    expect(passes).toBe(1);
  });

  it('stops when the signal given to start() is aborted', async () => {
    const ac = new AbortController();
    let passes = 0;
    const task = new PeriodicTask({ name: 'job', job: async () => void passes++, intervalMs: 5, onError: () => undefined });
    await task.start({ signal: ac.signal });
    await until(() => passes > 0, 'a pass');
    ac.abort();
    await task.stop();
    const after = passes;
    await new Promise((r) => setTimeout(r, 30));
    expect(passes).toBe(after);
  });
});

describe('the watcher', () => {
  // Every chain read but the pending batches and params is refused: these tests never get that far.
  const refused = queryWatcherChain(async () => ({ code: 1, value: new Uint8Array() }), { chainId: 'c', height: () => 5n, receiptKeysOf: async () => [] });
  const make = async (pending: () => Promise<[]>): Promise<Watcher> =>
    new Watcher({
      claims: await openClaims(),
      chain: { ...refused, pendingBatches: pending, params: async () => ({ epochBlocks: 10n, maxBatchAgeEpochs: 2n, maxOpenRequests: 4 }), trustedVerifiers: async () => [] },
      source: { receiptsOf: async () => undefined },
      submitter: { address: 'cairn1x', submit: async () => undefined },
      logger: silentLogger,
      requestBond: { denom: 'ucairn', amount: '1' },
      intervalMs: 5,
    });

  it('stops once however often it is told', async () => {
    await stopsTwice(await make(async () => []));
  });

  it('waits for a pass that is reading the chain', async () => {
    const g = gate();
    let reading = false;
    const w = await make(async () => {
      reading = true;
      await g.wait;
      return [];
    });
    await w.start();
    await until(() => reading, 'a pass reading the chain');
    const stopped = w.stop();
    expect(await settledSoon(stopped)).toBe(false);
    g.open();
    await stopped;
  });
});

describe('the availability reporter', () => {
  const make = (probe: (url: string, signal?: AbortSignal) => Promise<boolean>): AvailabilityReporter =>
    new AvailabilityReporter({
      chain: { height: () => 3n, epoch: async () => ({ epoch: 1n, endHeight: 100n }), activeOperators: async () => [{ address: 'cairn1op', endpoints: ['https://op.example'] }] },
      probe,
      submitter: { address: 'cairn1hot', submit: async () => undefined },
      validator: 'cairn1val',
      logger: silentLogger,
      probeIntervalMs: 0,
    });

  it('stops once however often it is told', async () => {
    await stopsTwice(make(async () => true));
  });

  it('aborts the probe in flight and waits for its round to end, counting nothing for it', async () => {
    let probing = false;
    let ended = false;
    const r = make(
      (_url, signal) =>
        new Promise<boolean>((resolve) => {
          probing = true;
          signal?.addEventListener('abort', () => setTimeout(() => ((ended = true), resolve(false)), 20));
        }),
    );
    await r.start();
    await until(() => probing, 'a probe');
    await r.stop();
    expect(ended).toBe(true);
    expect(r.metrics.rounds).toBe(0);
  });
});

describe("the watcher's funds check", () => {
  const make = (balance: () => Promise<bigint>): FundsCheck =>
    new FundsCheck({ address: 'cairn1w', height: () => 1n, denom: async () => 'ucairn', balance, logger: silentLogger, pollMs: 5 });

  it('stops once however often it is told', async () => {
    await stopsTwice(make(async () => 1n));
  });

  it('waits for a balance read in flight, and keeps what it read', async () => {
    const g = gate();
    let reading = false;
    const f = make(async () => {
      reading = true;
      await g.wait;
      return 7n;
    });
    await f.start();
    await until(() => reading, 'a balance read');
    const stopped = f.stop();
    expect(await settledSoon(stopped)).toBe(false);
    g.open();
    await stopped;
    expect(f.last).toBe(7n);
  });
});

describe('the metrics server', () => {
  const scrape = (url: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      request(url, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
        .on('error', reject)
        .end();
    });

  it('stops once however often it is told', async () => {
    await stopsTwice(new MetricsServer({ host: '127.0.0.1', port: 0, logger: silentLogger, collect: async () => '' }));
  });

  it('answers a scrape in progress before it stops, and no scrape after', async () => {
    const g = gate();
    let collecting = false;
    const server = new MetricsServer({
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger,
      collect: async () => {
        collecting = true;
        await g.wait;
        return '# TYPE up gauge\nup 1\n';
      },
    });
    await server.start();
    const answer = scrape(server.url);
    await until(() => collecting, 'a scrape');
    const stopped = server.stop();
    expect(await settledSoon(stopped)).toBe(false);
    g.open();
    await stopped;
    expect(await answer).toMatchObject({ status: 200, body: expect.stringContaining('up 1') });
    await expect(scrape(server.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('the p2p service', () => {
  const make = async (): Promise<{ p2p: P2pService; home: string }> => {
    const home = await mkdtemp(join(tmpdir(), 'cairn-p2p-life-'));
    homes.push(home);
    await mkdir(join(home, 'config'));
    await mkdir(join(home, 'data'));
    const app = { chainId: 'life-1', store: { lastHeight: 0n }, bank: {}, addresses: { decode: () => new Uint8Array(20) } } as unknown as CairnApp;
    return { p2p: new P2pService({ home, app, logger: silentLogger, listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [], chainId: 'life-1' }), home };
  };
  const storeIsFree = async (home: string): Promise<void> => {
    const db = new ClassicLevel(p2pStorePath(home));
    await db.open();
    await db.close();
  };

  it('stops once however often it is told, and leaves its batch store closed', async () => {
    const { p2p, home } = await make();
    await stopsTwice(p2p);
    await storeIsFree(home);
  });

  it('stopped while it is still starting, waits for the start and closes what it opened', async () => {
    const { p2p, home } = await make();
    const starting = p2p.start();
    const stopped = p2p.stop();
    await starting;
    await stopped;
    await storeIsFree(home);
  });
});

describe('the watcher service', () => {
  it('stops once however often it is told, and waits for a chain read in flight', async () => {
    const g = gate();
    let reads = 0;
    const app = {
      chainId: 'life-1',
      store: { lastHeight: 1n },
      bank: {},
      addresses: { decode: () => new Uint8Array(20) },
      // Every query of the service (the funds check's bond denom first) waits at the gate.
      query: async () => {
        reads++;
        await g.wait;
        return { code: 1, value: new Uint8Array(), log: 'closed' };
      },
    } as unknown as CairnApp;
    const p2p = { store: { markFinalized: async () => undefined }, host: { onDelivery: () => undefined } } as unknown as ConstructorParameters<typeof WatcherService>[0]['p2p'];
    const home = await mkdtemp(join(tmpdir(), 'cairn-watcher-life-'));
    homes.push(home);
    const service = new WatcherService({ home, app, p2p, rpcUrl: 'http://127.0.0.1:1', key: new Uint8Array(32).fill(1), prefix: 'cairn', gasPrice: '0ucairn', logger: silentLogger, intervalMs: 5 });
    await service.start();
    expect(service.address).toMatch(/^cairn1/);
    await until(() => reads > 0, 'a chain read');
    const first = service.stop();
    expect(service.stop()).toBe(first);
    expect(await settledSoon(first)).toBe(false);
    g.open();
    await first;
    // Its claim store is closed: another process could open it now.
    const db = new ClassicLevel(watcherStorePath(home));
    await db.open();
    await db.close();
    await expect(service.start()).rejects.toThrow(ServiceStoppedError);
  });
});
