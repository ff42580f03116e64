// A limit on work that runs at once; the server keeps one for each place it bounds work (separate
// slots, one class): tile cuts wait for a
// slot in order (a map asks for dozens of tiles at once, each answer is short), imports refuse
// when no slot is free (each holds a CPU for minutes; a queue nobody sees would only time out).

/** A counting semaphore: at most `slots` holders at once. */
export class ConcurrencyLimit {
  private waiting: Array<() => void> = [];
  private held = 0;

  constructor(readonly slots: number) {
    if (!Number.isInteger(slots) || slots < 1)
      throw new RangeError(`slots must be a positive integer: ${slots}`);
  }

  /** Holders at this moment. */
  get active(): number {
    return this.held;
  }

  /** Runs `work` once a slot is free (waiting in arrival order), and frees the slot after it. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.held < this.slots) this.held++;
    // The slot passes straight from the holder that frees it (see `release`): `held` stays counted.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /**
   * Takes a slot only if one is free now: the function that frees it (once; later calls do nothing),
   * or null when every slot is held.
   */
  tryAcquire(): (() => void) | null {
    if (this.held >= this.slots) return null;
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held--;
  }
}
