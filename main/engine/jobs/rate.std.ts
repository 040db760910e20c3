/**
 * Rate and ETA from what was actually measured: messages done over a sliding time window,
 * so that a slow start (connecting, listing) or a pause does not poison the estimate forever.
 */
export interface RateSample {
  at: number;
  done: number;
}

export class RateMeter {
  private samples: RateSample[] = [];
  constructor(private readonly windowMs = 20_000) {}

  /** Record the overall count at time `at` (ms). A count going backwards (a new run) restarts the window. */
  add(at: number, done: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && done < last.done) this.samples = [];
    this.samples.push({ at, done });
    // Keep one sample older than the window so the rate always spans the whole window.
    while (this.samples.length > 2 && this.samples[1].at <= at - this.windowMs) this.samples.shift();
  }

  /** Messages per second over the window, or undefined until there is something to measure. */
  rate(): number | undefined {
    if (this.samples.length < 2) return undefined;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const dt = (last.at - first.at) / 1000;
    if (dt <= 0) return undefined;
    return (last.done - first.done) / dt;
  }

  /** Seconds left at the measured rate; undefined when nothing is moving yet. */
  eta(done: number, total: number): number | undefined {
    const r = this.rate();
    if (r === undefined || r <= 0 || total <= 0) return undefined;
    return Math.max(0, Math.round((total - done) / r));
  }
}
