// Exact wire text for each type, from the literal examples of docs/models.md ("Wire encoding").
// JavaScript cannot tell 2.0 from 2: an integral double is written `2` where Dart writes `2.0` (both sides
// decode either); those examples are checked by value instead of by text.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decoded, m, wire } from './models.mjs';

const scalars = {
  aBool: true, anInt: -9007199254740991, aDouble: 0.1, aString: 'h\u00e9 "x"',
  aDateTime: new Date('2024-02-29T23:59:59.999Z'), aDuration: 90061001, aByteData: new Uint8Array([1, 2, 3]),
  aUuid: '550e8400-e29b-41d4-a716-446655440000', aUri: 'https://example.com/a?b=c',
  aBigInt: -123456789012345678901234567890n,
};

test('objects: __className__ first, fields in YAML order, nulls omitted', () => {
  assert.equal(wire({ x: 1, y: 2 }, 'Point'), '{"__className__":"Point","x":1,"y":2}');
  assert.equal(wire({ what: 'x' }, 'NotFound'), '{"__className__":"NotFound","what":"x"}');
  assert.equal(wire({ what: 'x', attempts: null }, 'NotFound'), '{"__className__":"NotFound","what":"x"}');
});

test('inheritance: parent fields first, flat; sealed subclasses carry their own name', () => {
  assert.equal(wire({ __className__: 'Dog', name: 'rex', barks: true }, 'Dog'),
               '{"__className__":"Dog","name":"rex","barks":true}');
  assert.equal(wire({ __className__: 'Circle', name: 'c', radius: 2.5 }, 'Circle'),
               '{"__className__":"Circle","name":"c","radius":2.5}');
  assert.equal(wire({ main: { __className__: 'Square', name: 's', width: 1.5, height: 1.5, rounded: false }, shapes: [] },
                    'Drawing'),
               '{"__className__":"Drawing","main":{"__className__":"Square","name":"s","width":1.5,"height":1.5,' +
               '"rounded":false},"shapes":[]}');
});

test('scopes: serverOnly and none fields are not sent; jsonKey names the wire key', () => {
  assert.equal(wire({ name: 'a', secret: 's', renamed: 'r', local: 'l' }, 'Scopes'),
               '{"__className__":"Scopes","name":"a","wire_name":"r"}');
  assert.equal(m.registry.SecretState, undefined, 'serverOnly classes do not exist in client code');
});

test('scalars', () => {
  const json = JSON.parse(wire(scalars, 'Scalars'));
  assert.equal(JSON.stringify(json.aBool), 'true');
  assert.equal(JSON.stringify(json.aDouble), '0.1');
  assert.equal(JSON.stringify(json.aString), JSON.stringify('h\u00e9 "x"'));
  assert.equal(JSON.stringify(json.aDateTime), '"2024-02-29T23:59:59.999Z"');
  assert.equal(JSON.stringify(json.aDuration), '90061001');
  assert.equal(JSON.stringify(json.aByteData), `"decode('AQID', 'base64')"`);
  assert.equal(JSON.stringify(json.aUuid), '"550e8400-e29b-41d4-a716-446655440000"');
  assert.equal(JSON.stringify(json.aUri), '"https://example.com/a?b=c"');
  assert.equal(JSON.stringify(json.aBigInt), '"-123456789012345678901234567890"');
  assert.equal(wire(1e21, 'double'), '1e+21');
  assert.equal(wire(1e-7, 'double'), '1e-7');
  assert.equal(wire(new Uint8Array(0), 'ByteData'), `"decode('', 'base64')"`);
  assert.equal(wire('550E8400-E29B-41D4-A716-446655440000', 'UuidValue'), '"550e8400-e29b-41d4-a716-446655440000"');
  assert.equal(wire(5, 'int'), '5');
  for (const k of Object.keys(scalars)) {
    const maybe = 'maybe' + k.replace(/^an?/, '');
    assert.ok(!(maybe in json), `${maybe} is null and must be omitted`);
  }
});

test('containers', () => {
  const value = {
    ints: [1, 2, 3], maybeInts: [1, null, 3], names: new Set(['a', 'b']), counts: new Map([['a', 1], ['b', 2]]),
    byNumber: new Map([[1, 'one'], [2, 'two']]), byColor: new Map([['green', 0.5]]),
    byDay: new Map([[new Date('2024-01-01T00:00:00.000Z'), true]]), nested: new Map([['a', [[1], []]]]),
    points: [], pointsByName: new Map(),
  };
  assert.equal(wire(value, 'Containers'),
    '{"__className__":"Containers","ints":[1,2,3],"maybeInts":[1,null,3],"names":["a","b"],"counts":{"a":1,"b":2},' +
    '"byNumber":[{"k":1,"v":"one"},{"k":2,"v":"two"}],"byColor":[{"k":"green","v":0.5}],' +
    '"byDay":[{"k":"2024-01-01T00:00:00.000Z","v":true}],"nested":{"a":[[1],[]]},"points":[],"pointsByName":{}}');
  assert.equal(wire({ ...value, ints: [] }, 'Containers').includes('"ints":[]'), true);
});

test('records: positional under p, named under n, null fields written as null', () => {
  const value = {
    pair: { $1: 1, $2: 'a' }, named: { x: 1, label: null }, mixed: { $1: 1, name: 'a' }, single: null,
    nested: { $1: { $1: 2, $2: 'b' }, points: [] },
  };
  const json = JSON.parse(wire(value, 'Records'));
  assert.equal(JSON.stringify(json.pair), '{"p":[1,"a"]}');
  assert.equal(JSON.stringify(json.named), '{"n":{"x":1,"label":null}}');
  assert.equal(JSON.stringify(json.mixed), '{"p":[1],"n":{"name":"a"}}');
  assert.ok(!('single' in json));
  assert.equal(JSON.stringify(json.nested), '{"p":[{"p":[2,"b"]}],"n":{"points":[]}}');
});

test('enums: byName as the name, byIndex as the 0-based index', () => {
  assert.equal(wire('green', 'Color'), '"green"');
  assert.equal(wire('normal', 'Priority'), '1');
  assert.deepEqual(m.ColorValues, ['red', 'green', 'blue']);
  assert.equal(m.Color.green, 'green');
});

test('vectors', () => {
  const json = JSON.parse(wire({
    vector: [1, 2.5, 3], half: [1, 2.5], sparse: { dimensions: 5, indices: [0, 2], values: [1, 2.5] },
    bits: [true, false, true, true, false],
  }, 'Vectors'));
  assert.deepEqual(json.vector, JSON.parse('[1.0,2.5,3.0]'));
  assert.equal(JSON.stringify(json.sparse), '"{1:1.0,3:2.5}/5"');
  assert.equal(JSON.stringify(json.bits), '"10110"');
});

test('envelopes: className of a project model, of a module model, of a scalar', () => {
  assert.equal(JSON.stringify(m.encodeModel({ x: 1, y: 2 }, 'Point')),
               '{"className":"Point","data":{"__className__":"Point","x":1,"y":2}}');
  assert.equal(JSON.stringify(m.encodeModel({ name: 'ada', tier: 'gold' }, 'shop.Customer')),
               '{"className":"shop.Customer","data":{"__className__":"shop.Customer","name":"ada","tier":"gold"}}');
  assert.equal(JSON.stringify(m.encodeModel(5, 'int')), '{"className":"int","data":5}');
  assert.equal(decoded(5, 'int'), 5);
});
