// emitter.ts: listener order, removal, and isolation of a listener that throws (pure, no sockets).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Emitter } from '../dist/emitter.js';

test('emitter: listeners run in registration order with the emitted arguments', () => {
  const e = new Emitter();
  const calls = [];
  e.on('x', (a, b) => calls.push(['first', a, b]));
  e.on('x', (a, b) => calls.push(['second', a, b]));
  e.on('y', () => calls.push(['other event']));
  e.emit('x', [1, 2], assert.fail);
  assert.deepEqual(calls, [['first', 1, 2], ['second', 1, 2]]);
});

test('emitter: the function on() returns removes the listener; off() too', () => {
  const e = new Emitter();
  const calls = [];
  const a = () => calls.push('a');
  const b = () => calls.push('b');
  const removeA = e.on('x', a);
  e.on('x', b);
  removeA();
  e.emit('x', [], assert.fail);
  e.off('x', b);
  e.emit('x', [], assert.fail);
  assert.deepEqual(calls, ['b']);
  assert.equal(e.listenerCount('x'), 0);
});

test('emitter: a throwing listener goes to onThrow and the next listener still runs', () => {
  const e = new Emitter();
  const calls = [];
  const thrown = [];
  e.on('x', () => { throw new Error('bad listener'); });
  e.on('x', () => calls.push('after'));
  e.emit('x', [], (err) => thrown.push(err.message));
  assert.deepEqual([thrown, calls], [['bad listener'], ['after']]);
});

test('emitter: a listener added during an emit runs from the next emit on', () => {
  const e = new Emitter();
  const calls = [];
  e.on('x', () => { calls.push('outer'); e.on('x', () => calls.push('inner')); });
  e.emit('x', [], assert.fail);
  assert.deepEqual(calls, ['outer']);
});
