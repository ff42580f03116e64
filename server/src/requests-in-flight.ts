// Counts the requests being answered, so that work in the background — the monitored households
// a first start loads after the map (db/seed/pending-households.ts) — can take its turns between
// them: on PGlite every statement runs on the one thread that also answers requests.
import type { ServerResponse } from 'node:http';

export class RequestsInFlight {
  private count = 0;
  private waiting: Array<() => void> = [];

  /** Counts `res` until it is finished or closed. */
  track(res: ServerResponse): void {
    this.count++;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.count--;
      if (this.count === 0) for (const resolve of this.waiting.splice(0)) resolve();
    };
    res.once('finish', end);
    res.once('close', end);
  }

  /**
   * Resolves once no request is in flight, or after `maxWaitMs` at most: under constant traffic the
   * background work must still move on, a step at a time.
   */
  quiet(maxWaitMs = 1_000): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        // Out of the list when the time ran out first (under constant traffic it would only grow).
        const at = this.waiting.indexOf(done);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      this.waiting.push(done);
    });
  }
}
