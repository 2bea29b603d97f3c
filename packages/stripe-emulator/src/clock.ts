/**
 * Emulated time. It follows the wall clock plus an offset that only grows, so objects created before an
 * advance keep sensible timestamps; `pin` lets scheduled work run "at" the moment it was due.
 */
export class Clock {
  private offsetSeconds = 0;
  private pinned: number | null = null;

  constructor(offsetSeconds = 0) {
    this.offsetSeconds = offsetSeconds;
  }

  now(): number {
    return this.pinned ?? Math.floor(Date.now() / 1000) + this.offsetSeconds;
  }

  get offset(): number {
    return this.offsetSeconds;
  }

  advance(seconds: number): void {
    this.offsetSeconds += seconds;
  }

  reset(): void {
    this.offsetSeconds = 0;
    this.pinned = null;
  }

  /** Runs `fn` with `now()` frozen at `at`, so every object and event it creates is stamped with that time. */
  at<T>(at: number, fn: () => T): T {
    const previous = this.pinned;
    this.pinned = at;
    try {
      return fn();
    } finally {
      this.pinned = previous;
    }
  }
}
