// Which answers may be kept under a day in China (response-cache.ts `settled`): none computed in
// the first minute of the day, when the database's clock, which counts "overdue", may still be on
// the day before; none once the day is over. And the downloads of one file at once: made once,
// the others waiting for it, but never held by a maker whose client stalls or leaves.
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { responseCache, settled } from './response-cache.ts';

/** A moment in China's time zone (UTC+8). */
const china = (iso: string) => new Date(`${iso}+08:00`).getTime();

describe('keeping answers around midnight in China', () => {
  it('keeps what was computed during the day it is keyed by', () => {
    expect(settled('2026-12-01', china('2026-12-01T12:00:00'))).toBe(true);
    expect(settled('2026-12-01', china('2026-12-01T00:01:00'))).toBe(true);
    expect(settled('2026-12-01', china('2026-12-01T23:59:59'))).toBe(true);
  });

  it('keeps nothing from the first minute of the day, nor under a day that is over', () => {
    expect(settled('2026-12-01', china('2026-12-01T00:00:00'))).toBe(false);
    expect(settled('2026-12-01', china('2026-12-01T00:00:59'))).toBe(false);
    expect(settled('2026-11-30', china('2026-12-01T00:00:30'))).toBe(false);
    expect(settled('2026-11-30', china('2026-12-01T08:00:00'))).toBe(false);
  });
});

describe('downloads of the same file at once', () => {
  /** A response that records what is written and lets the test say when its client reads. */
  class FakeResponse extends EventEmitter {
    statusCode = 200;
    closed = false;
    destroyed = false;
    writableFinished = false;
    accepting = true;
    headers: Record<string, string> = {};
    setHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    write(_chunk: unknown) {
      return this.accepting;
    }
    end(_chunk?: unknown) {
      this.writableFinished = true;
      this.close();
      return this;
    }
    close() {
      this.closed = true;
      this.emit('close');
    }
  }
  const request = { headers: {} } as IncomingMessage;
  const cacheOf = () =>
    responseCache(
      { replica: null } as never,
      { of: async () => ({ dataVersion: 1, figuresVersion: 1 }), stop: async () => {} },
      8 << 20,
    );
  const download = (cache: ReturnType<typeof cacheOf>, res: FakeResponse) =>
    cache.download(request, res as unknown as ServerResponse, {} as never, 'counties.csv');

  it('makes a file once: a second download waits and is served what the first kept', async () => {
    const cache = cacheOf();
    const maker = new FakeResponse();
    const first = await download(cache, maker);
    expect(first?.kept).toBeUndefined();
    first!.keep();
    const waiter = new FakeResponse();
    const second = download(cache, waiter);
    (maker as unknown as ServerResponse).write('code,name\n');
    (maker as unknown as ServerResponse).end('522622,黄平县\n');
    expect((await second)?.kept?.toString()).toBe('code,name\n522622,黄平县\n');
    expect(waiter.headers['x-rrm-cache']).toBe('hit');
  });

  it('lets the others go when the maker stalls (its client stops reading) or leaves', async () => {
    const cache = cacheOf();
    const maker = new FakeResponse();
    (await download(cache, maker))!.keep();
    maker.accepting = false;
    (maker as unknown as ServerResponse).write('code,name\n');
    const started = Date.now();
    const stalledOn = await download(cache, new FakeResponse());
    // Released after the stall (a second), long before the 10 s a waiter waits at most.
    expect(stalledOn?.kept).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5000);

    const other = cacheOf();
    const leaving = new FakeResponse();
    (await download(other, leaving))!.keep();
    const waiting = download(other, new FakeResponse());
    leaving.close();
    expect((await waiting)?.kept).toBeUndefined();
  });
});
