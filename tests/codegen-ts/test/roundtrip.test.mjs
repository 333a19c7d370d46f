// Round trips: value -> JSON text -> value, and wire JSON -> value -> the same wire JSON; and roundtrip.mjs,
// the filter a C++ test pipes model messages through.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { buildDir, m } from './models.mjs';

const samples = [
  { className: 'Scalars', data: {
    __className__: 'Scalars', aBool: true, anInt: -9007199254740991, aDouble: 0.1, aString: 'h\u00e9 "x" \u2028',
    aDateTime: '2024-02-29T23:59:59.999Z', aDuration: 90061001, aByteData: "decode('AAECAwT/', 'base64')",
    aUuid: '550e8400-e29b-41d4-a716-446655440000', aUri: 'https://example.com/a?b=c',
    aBigInt: '-123456789012345678901234567890', maybeBool: false, maybeInt: 0, maybeDouble: -1.5, maybeString: '',
    maybeDateTime: '1970-01-01T00:00:00.000Z', maybeDuration: -1, maybeByteData: "decode('', 'base64')",
    maybeUuid: '00000000-0000-0000-0000-000000000000', maybeUri: '', maybeBigInt: '0' } },
  { className: 'Containers', data: {
    __className__: 'Containers', ints: [1, 2, 3], maybeInts: [1, null, 3], names: ['a', 'b'], counts: { a: 1, b: 2 },
    byNumber: [{ k: 1, v: 'one' }, { k: 2, v: 'two' }], byColor: [{ k: 'red', v: 0.25 }],
    byDay: [{ k: '2024-01-01T00:00:00.000Z', v: true }], nested: { a: [[1], []] },
    points: [{ __className__: 'Point', x: 1, y: 2 }], maybePoints: [null, { __className__: 'Point', x: 3, y: 4 }],
    pointsByName: { p: { __className__: 'Point', x: 5, y: 6 } }, pointSet: [{ __className__: 'Point', x: 7, y: 8 }] } },
  { className: 'Records', data: {
    __className__: 'Records', pair: { p: [1, 'a'] }, named: { n: { x: 1, label: null } }, mixed: { p: [1], n: { name: 'a' } },
    single: { p: [true] }, nested: { p: [{ p: [2, 'b'] }], n: { points: [{ p: [{ __className__: 'Point', x: 1, y: 2 }] }] } } } },
  { className: 'Vectors', data: {
    __className__: 'Vectors', vector: [1.5, 2.5, 3.5], half: [0.5, -0.5], sparse: '{1:1.0,3:2.5}/5', bits: '10110',
    maybeVector: [0.1, 0.2, 0.3] } },
  { className: 'Drawing', data: {
    __className__: 'Drawing', main: { __className__: 'Square', name: 's', width: 1.5, height: 1.5, rounded: true },
    extra: { __className__: 'Circle', name: 'c', radius: 0.5 }, shapes: [{ __className__: 'Rect', name: 'r', width: 1.5, height: 2.5 }],
    pet: { __className__: 'Dog', name: 'rex', barks: true }, buyer: { __className__: 'shop.Customer', name: 'ada', tier: 'gold' } } },
  { className: 'Defaults', data: {
    __className__: 'Defaults', count: 1, ratio: 0.25, label: 'x', flag: false, color: 'blue', timeout: 5, since: '2000-01-01T00:00:00.000Z',
    big: '1', maybeCount: 2, id: '550e8400-e29b-41d4-a716-446655440000' } },
  { className: 'Scopes', data: { __className__: 'Scopes', name: 'n', wire_name: 'w' } },
  { className: 'NotFound', data: { __className__: 'NotFound', what: 'x', attempts: 3 } },
  { className: 'Color', data: 'blue' },
  { className: 'Priority', data: 2 },
  { className: 'shop.Customer', data: { __className__: 'shop.Customer', name: 'ada', tier: 'basic' } },
  { className: 'shop.Tier', data: 'gold' },
  { className: 'DateTime', data: '2024-02-29T23:59:59.999Z' },
  { className: 'String', data: 'text' },
];

test('wire JSON -> value -> the same wire JSON, for every sample', () => {
  for (const sample of samples) {
    const { className, value } = m.decodeModel(JSON.parse(JSON.stringify(sample)));
    assert.equal(JSON.stringify(m.encodeModel(value, className)), JSON.stringify(sample), sample.className);
  }
});

test('value -> JSON text -> value is the same value', () => {
  for (const sample of samples) {
    const { className, value } = m.decodeModel(sample);
    const text = JSON.stringify(m.encodeModel(value, className));
    assert.deepEqual(m.decodeModel(JSON.parse(text)).value, value, sample.className);
  }
});

test('Serverpod\'s chat and auth models compile and decode', { skip: !existsSync(join(buildDir, 'chat/js')) }, async () => {
  const chat = await import(join(buildDir, 'chat/js/models/generated/index.js'));
  const message = {
    className: 'ChatMessage', data: {
      __className__: 'ChatMessage', channel: 'general', message: 'hi', time: '2024-01-01T00:00:00.000Z', sender: 1,
      senderInfo: { __className__: 'serverpod_auth.UserInfoPublic', userName: 'ada', created: '2024-01-01T00:00:00.000Z' },
      removed: false, attachments: [] },
  };
  const { className, value } = chat.decodeModel(message);
  assert.equal(value.senderInfo.userName, 'ada');
  assert.equal(JSON.stringify(chat.encodeModel(value, className)), JSON.stringify(message));
});

test('roundtrip.mjs decodes and re-encodes each JSON line', () => {
  const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'roundtrip.mjs');
  const input = samples.map((s) => JSON.stringify(s)).join('\n') + '\n';
  const r = spawnSync(process.execPath, [script], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, input);
  const bad = spawnSync(process.execPath, [script], { input: '{"className":"Point","data":{"x":"1","y":2}}\n', encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /line 1: x: expected int, got string/);
});
