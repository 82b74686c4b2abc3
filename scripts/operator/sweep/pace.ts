/** Time as the sweep sees it: injectable, so tests run a paced sweep without waiting. */
export interface Clock {
  /** Milliseconds since some origin (Date.now). */
  now(): number;
  /** Resolves after `ms`, or at once when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * A token bucket: `rate` tokens a second, at most `burst` saved up. `take(n)` waits until n tokens
 * are there. Security Hub documents its API limits this way (rate per second, burst), so the sweep
 * holds itself to a share of each.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly clock: Clock,
  ) {
    if (rate <= 0 || burst < 1) throw new Error(`a token bucket needs a positive rate and a burst of at least 1 (got ${rate}/s, burst ${burst})`);
    this.tokens = burst;
    this.last = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  /** Waits for `n` tokens (n above the burst waits for the burst, then runs into debt). Returns the ms waited. */
  async take(n: number, signal?: AbortSignal): Promise<number> {
    const want = Math.min(n, this.burst);
    let waited = 0;
    this.refill();
    while (this.tokens < want) {
      if (signal?.aborted) break;
      const ms = Math.ceil(((want - this.tokens) / this.rate) * 1000);
      await this.clock.sleep(ms, signal);
      waited += ms;
      this.refill();
    }
    this.tokens -= n;
    return waited;
  }
}
