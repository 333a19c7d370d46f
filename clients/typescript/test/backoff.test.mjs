// backoff.ts: the delay formula, its bounds, and option checks (pure, no sockets).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, defaultBackoff } from '../dist/index.js';
import { checkBackoff } from '../dist/backoff.js';

const opts = { initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, jitter: 0.5 };

test('backoff: without jitter the delay doubles from initialDelayMs and stops at maxDelayMs', () => {
  const delays = [1, 2, 3, 4, 5, 6].map((r) => backoffDelay(r, { ...opts, jitter: 0 }, () => 0.99));
  assert.deepEqual(delays, [100, 200, 400, 800, 1_000, 1_000]);
});

test('backoff: jitter takes up to jitter * base off the delay, as random() says', () => {
  assert.equal(backoffDelay(1, opts, () => 0), 100);
  assert.equal(backoffDelay(1, opts, () => 0.5), 75);
  assert.equal(backoffDelay(3, opts, () => 0.5), 300);
  assert.equal(backoffDelay(10, opts, () => 0.999), 1_000 * (1 - 0.5 * 0.999));
});

test('backoff: every delay lies in [base * (1 - jitter), base], within [0, maxDelayMs]', () => {
  const randoms = [0, 1e-9, 0.25, 0.5, 0.75, 0.999999];
  for (const jitter of [0, 0.3, 1]) {
    for (let r = 1; r <= 2_000; r += r < 20 ? 1 : 97) {
      const base = Math.min(1_000, 100 * 2 ** (r - 1));
      for (const x of randoms) {
        const d = backoffDelay(r, { ...opts, jitter }, () => x);
        assert.ok(d >= base * (1 - jitter) - 1e-9 && d <= base, `r=${r} jitter=${jitter} random=${x}: ${d}`);
        assert.ok(d >= 0 && d <= 1_000, `r=${r}: ${d} outside [0, maxDelayMs]`);
      }
    }
  }
});

test('backoff: a random() outside [0, 1) and a zero initial delay still give a delay within bounds', () => {
  assert.equal(backoffDelay(1, opts, () => 7), 50);
  assert.equal(backoffDelay(1, opts, () => -3), 100);
  assert.equal(backoffDelay(5_000, { ...opts, initialDelayMs: 0 }, () => 0.5), 0);
});

test('backoff: the defaults are 250 ms doubling to 10 s with 50 % jitter', () => {
  assert.deepEqual(defaultBackoff, { initialDelayMs: 250, maxDelayMs: 10_000, multiplier: 2, jitter: 0.5 });
});

test('backoff: options that leave the bounds are refused with RangeError', () => {
  assert.doesNotThrow(() => checkBackoff(opts));
  for (const bad of [
    { initialDelayMs: -1 }, { initialDelayMs: NaN }, { maxDelayMs: 50 }, { maxDelayMs: Infinity },
    { multiplier: 0.5 }, { jitter: -0.1 }, { jitter: 1.5 },
  ]) {
    assert.throws(() => checkBackoff({ ...opts, ...bad }), RangeError, JSON.stringify(bad));
  }
});
