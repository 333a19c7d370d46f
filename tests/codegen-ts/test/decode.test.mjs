// Decoding: every type, the lenient forms docs/models.md allows, nulls, defaults and subclasses.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decoded, m } from './models.mjs';

test('scalars decode to Date, bigint, Uint8Array, number, string', () => {
  const v = decoded({
    aBool: false, anInt: 42, aDouble: 3, aString: 's', aDateTime: '2024-02-29T23:59:59.999Z', aDuration: -5,
    aByteData: "decode('AQID', 'base64')", aUuid: '550E8400-E29B-41D4-A716-446655440000', aUri: '/relative?x',
    aBigInt: '+000123', maybeInt: null,
  }, 'Scalars');
  assert.equal(v.aBool, false);
  assert.equal(v.anInt, 42);
  assert.equal(v.aDouble, 3);
  assert.ok(v.aDateTime instanceof Date);
  assert.equal(v.aDateTime.toISOString(), '2024-02-29T23:59:59.999Z');
  assert.equal(v.aDuration, -5);
  assert.deepEqual(v.aByteData, new Uint8Array([1, 2, 3]));
  assert.equal(v.aUuid, '550e8400-e29b-41d4-a716-446655440000');
  assert.equal(v.aUri, '/relative?x');
  assert.equal(v.aBigInt, 123n);
  assert.equal(v.maybeInt, null, 'explicit null');
  assert.equal(v.maybeString, null, 'absent');
});

test('DateTime accepts the forms of Dart DateTime.parse, without zone as UTC', () => {
  const cases = {
    '2024-02-29T23:59:59.999Z': '2024-02-29T23:59:59.999Z',
    '2024-02-29 23:59:59Z': '2024-02-29T23:59:59.000Z',
    '2024-02-29T23:59:59.123456Z': '2024-02-29T23:59:59.123Z',
    '2024-02-29T23:59:59.5Z': '2024-02-29T23:59:59.500Z',
    '2024-03-01T01:30:00+02:00': '2024-02-29T23:30:00.000Z',
    '2024-03-01T01:30:00+0200': '2024-02-29T23:30:00.000Z',
    '2024-02-29T21:00:00-02': '2024-02-29T23:00:00.000Z',
    '2024-02-29T23:59:59': '2024-02-29T23:59:59.000Z',
    '2024-02-29': '2024-02-29T00:00:00.000Z',
    '0001-01-01T00:00:00.000Z': '0001-01-01T00:00:00.000Z',
  };
  for (const [text, iso] of Object.entries(cases)) {
    assert.equal(m.decodeModel({ className: 'DateTime', data: text }).value.toISOString(), iso, text);
  }
  for (const bad of ['2023-02-29T00:00:00Z', '2024-13-01', 'yesterday', '2024-02-29T24:00:00Z']) {
    assert.throws(() => m.decodeModel({ className: 'DateTime', data: bad }), m.DecodeError, bad);
  }
});

test('containers decode to arrays, Sets and Maps', () => {
  const v = decoded({
    ints: [1, 2], maybeInts: [null, 1], names: ['a', 'b'], counts: { a: 1 }, byNumber: [{ k: 1, v: 'one' }],
    byColor: [{ k: 'blue', v: 1 }], byDay: [{ k: '2024-01-01T00:00:00Z', v: false }], nested: { a: [[1], []] },
    points: [{ x: 1, y: 2 }], maybePoints: [null, { x: 3, y: 4 }], pointsByName: { p: { x: 0, y: 0 } },
    pointSet: [{ x: 1, y: 1 }],
  }, 'Containers');
  assert.deepEqual(v.maybeInts, [null, 1]);
  assert.deepEqual(v.names, new Set(['a', 'b']));
  assert.deepEqual(v.counts, new Map([['a', 1]]));
  assert.deepEqual(v.byNumber, new Map([[1, 'one']]));
  assert.deepEqual(v.byColor, new Map([['blue', 1]]));
  assert.equal([...v.byDay.keys()][0].toISOString(), '2024-01-01T00:00:00.000Z');
  assert.deepEqual(v.nested, new Map([['a', [[1], []]]]));
  assert.deepEqual(v.points, [{ __className__: 'Point', x: 1, y: 2 }]);
  assert.equal(v.maybePoints[0], null);
  assert.equal(v.pointsByName.get('p').x, 0);
  assert.equal(v.pointSet.size, 1);
});

test('records decode to {$1, ..., name}', () => {
  const v = decoded({
    pair: { p: [1, 'a'] }, named: { n: { x: 1 } }, mixed: { p: [1], n: { name: 'a' } }, single: { p: [true] },
    nested: { p: [{ p: [2, 'b'] }], n: { points: [{ p: [{ x: 1, y: 2 }] }] } },
  }, 'Records');
  assert.deepEqual(v.pair, { $1: 1, $2: 'a' });
  assert.deepEqual(v.named, { x: 1, label: null });
  assert.deepEqual(v.mixed, { $1: 1, name: 'a' });
  assert.deepEqual(v.single, { $1: true });
  assert.deepEqual(v.nested.points[0].$1, { __className__: 'Point', x: 1, y: 2 });
});

test('enums: by name, by index, unknown value falls back to the default', () => {
  assert.equal(m.decodeModel({ className: 'Color', data: 'blue' }).value, 'blue');
  assert.equal(m.decodeModel({ className: 'Priority', data: 2 }).value, 'high');
  assert.equal(m.decodeModel({ className: 'Priority', data: 7 }).value, 'normal');
  assert.throws(() => m.decodeModel({ className: 'Color', data: 'purple' }),
                { message: '(root): expected Color (one of red, green, blue), got "purple"' });
});

test('vectors', () => {
  const v = decoded({ vector: [1, 2.5, 3], half: [0, 0], sparse: '{1:1.0,3:2.5}/5', bits: '10110' }, 'Vectors');
  assert.deepEqual(v.vector, [1, 2.5, 3]);
  assert.deepEqual(v.sparse, { dimensions: 5, indices: [0, 2], values: [1, 2.5] });
  assert.deepEqual(v.bits, [true, false, true, true, false]);
  assert.deepEqual(decoded({ vector: [1, 2, 3], half: [0, 0], sparse: '{}/5', bits: '00000' }, 'Vectors').sparse,
                   { dimensions: 5, indices: [], values: [] });
});

test('defaults apply when the field is absent or null', () => {
  const v = decoded({ maybeCount: null }, 'Defaults');
  assert.equal(v.count, 10);
  assert.equal(v.ratio, 0.5);
  assert.equal(v.label, 'none');
  assert.equal(v.flag, true);
  assert.equal(v.color, 'green');
  assert.equal(v.timeout, ((((1 * 24 + 2) * 60 + 10) * 60 + 30) * 1000) + 100);
  assert.equal(v.since.toISOString(), '2024-01-02T03:04:05.678Z');
  assert.equal(v.big, -12345678901234567890n);
  assert.equal(v.maybeCount, 7);
  assert.match(v.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(decoded({ count: 3 }, 'Defaults').count, 3);
});

test('unknown keys are ignored; __className__ is optional for a class without subclasses', () => {
  assert.deepEqual(decoded({ x: 1, y: 2, z: 3, __className__: 'Whatever' }, 'Point'), { __className__: 'Point', x: 1, y: 2 });
});

test('subclasses are picked by __className__; an open parent without it is the parent', () => {
  const d = decoded({
    main: { __className__: 'Square', name: 's', width: 1, height: 1, rounded: true },
    extra: { __className__: 'Rect', name: 'r', width: 2, height: 3 },
    shapes: [{ __className__: 'Circle', name: 'c', radius: 1 }],
    pet: { name: 'generic' },
    buyer: { __className__: 'shop.Customer', name: 'ada', tier: 'basic' },
  }, 'Drawing');
  assert.equal(d.main.__className__, 'Square');
  assert.equal(d.main.rounded, true);
  assert.equal(d.extra.__className__, 'Rect');
  assert.equal(d.shapes[0].radius, 1);
  assert.deepEqual(d.pet, { __className__: 'Animal', name: 'generic' });
  assert.equal(d.buyer.tier, 'basic');
  assert.deepEqual(decoded({ __className__: 'Dog', name: 'rex', barks: true }, 'Animal'),
                   { __className__: 'Dog', name: 'rex', barks: true });
});

test('exceptions decode like classes', () => {
  assert.deepEqual(decoded({ what: 'x', attempts: 2 }, 'NotFound'), { __className__: 'NotFound', what: 'x', attempts: 2 });
});
