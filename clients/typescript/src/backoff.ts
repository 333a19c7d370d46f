// Reconnect delays: exponential backoff with jitter.
//
//   base(r)  = min(maxDelayMs, initialDelayMs * multiplier^(r - 1))
//   delay(r) = base(r) * (1 - jitter * random())
//
// where r = 1, 2, 3, ... numbers the waits since the client was last connected (or since it started), and
// random() is in [0, 1). With jitter in [0, 1] every delay lies in [base(r) * (1 - jitter), base(r)], so within
// [0, maxDelayMs]. Jitter spreads the reconnects of many clients after a server restart over time instead of
// letting them all arrive at once.

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  jitter: number;
}

export const defaultBackoff: BackoffOptions = {
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  multiplier: 2,
  jitter: 0.5,
};

// Throws RangeError for options that would make the formula leave [0, maxDelayMs].
export function checkBackoff(options: BackoffOptions): void {
  const { initialDelayMs, maxDelayMs, multiplier, jitter } = options;
  if (!(initialDelayMs >= 0) || !Number.isFinite(initialDelayMs)) {
    throw new RangeError(`reconnect.initialDelayMs must be a finite number >= 0, got ${initialDelayMs}`);
  }
  if (!(maxDelayMs >= initialDelayMs) || !Number.isFinite(maxDelayMs)) {
    throw new RangeError(`reconnect.maxDelayMs must be finite and >= initialDelayMs, got ${maxDelayMs}`);
  }
  if (!(multiplier >= 1) || !Number.isFinite(multiplier)) {
    throw new RangeError(`reconnect.multiplier must be a finite number >= 1, got ${multiplier}`);
  }
  if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`reconnect.jitter must be in [0, 1], got ${jitter}`);
}

// The delay before the r-th wait (r >= 1). `random` returns a number in [0, 1), like Math.random.
export function backoffDelay(r: number, options: BackoffOptions, random: () => number): number {
  const { initialDelayMs, maxDelayMs, multiplier, jitter } = options;
  // Capping the exponent keeps multiplier^(r - 1) finite for any r; past the cap the base is maxDelayMs anyway.
  const exponent = Math.min(Math.max(r - 1, 0), 1024);
  const grown = initialDelayMs === 0 ? 0 : initialDelayMs * Math.pow(multiplier, exponent); // 0 * Infinity is NaN
  const base = Math.min(maxDelayMs, grown);
  const unit = Math.min(Math.max(random(), 0), 1);
  return Math.min(maxDelayMs, Math.max(0, base * (1 - jitter * unit)));
}
