import { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from './codec.ts';
import { answer, AppMethodError, REQUEST_KINDS, requestKind, UnknownRequestError } from './dispatch.ts';
import { FakeApp } from '../../test/support/fake-abci-app.ts';
import type { AbciApplication } from './types.ts';

function decodeOne(frame: Uint8Array): Response {
  const [payload] = new FrameDecoder().pushAll(frame);
  return Response.decode(payload!);
}

describe('ABCI dispatch', () => {
  it('answers every v0.38 request kind with the response field of the same name', async () => {
    const app = new FakeApp();
    for (const kind of REQUEST_KINDS) {
      const req = Request.fromPartial({ [kind]: {} } as Partial<Record<typeof kind, object>>);
      expect(requestKind(req)).toBe(kind);
      const res = decodeOne(await answer(app, kind, req));
      const set = Object.entries(res).filter(([, v]) => v !== undefined).map(([k]) => k);
      expect(set).toEqual([kind]);
    }
    // Echo and Flush never reach the app.
    expect(app.calls).toHaveLength(REQUEST_KINDS.length - 2);
    expect(app.calls).not.toContain('echo');
  });

  it('rejects a request with no method or with two methods set', () => {
    expect(() => requestKind(Request.fromPartial({}))).toThrow(UnknownRequestError);
    expect(() => requestKind(Request.fromPartial({ echo: { message: '' }, flush: {} }))).toThrow(/both echo and flush/);
  });

  it('reports an app method that throws, returns nothing, or returns an unencodable value', async () => {
    const req = Request.fromPartial({ info: {} });
    const throwing = { info: () => Promise.reject(new Error('disk on fire')) } as unknown as AbciApplication;
    await expect(answer(throwing, 'info', req)).rejects.toThrow(AppMethodError);
    await expect(answer(throwing, 'info', req)).rejects.toThrow(/info threw: disk on fire/);
    const syncThrow = {
      info: () => {
        throw new Error('sync');
      },
    } as unknown as AbciApplication;
    await expect(answer(syncThrow, 'info', req)).rejects.toThrow(/info threw: sync/);
    const empty = { info: () => Promise.resolve(undefined) } as unknown as AbciApplication;
    await expect(answer(empty, 'info', req)).rejects.toThrow(/returned undefined/);
    const bad = { info: () => Promise.resolve({ lastBlockHeight: 'ten' }) } as unknown as AbciApplication;
    await expect(answer(bad, 'info', req)).rejects.toThrow(/cannot be encoded/);
  });
});
