// Decode errors name the failing path, the expected type and what was found; encode errors refuse values
// that have no wire form.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { m } from './models.mjs';

function decodeError(className, data) {
  try {
    m.decodeModel({ className, data });
  } catch (e) {
    assert.ok(e instanceof m.DecodeError, `expected a DecodeError, got ${e}`);
    return e.message;
  }
  assert.fail(`${className} ${JSON.stringify(data)} decoded without error`);
}

const note = (attachments, extra = {}) => ({ text: 't', attachments, ...extra });

test('paths through lists, maps and objects', () => {
  assert.equal(decodeError('ChatNote', note([{ fileName: 'a', size: 1 }, { fileName: 'b', size: 2 }, { fileName: 3, size: 3 }])),
               'attachments[2].fileName: expected String, got number');
  assert.equal(decodeError('ChatNote', note([], { tags: { k: 'x' } })), 'tags{"k"}: expected int, got string');
  assert.equal(decodeError('ChatNote', { attachments: [] }), 'text: expected String, got null');
  assert.equal(decodeError('ChatNote', { text: null, attachments: [] }), 'text: expected String, got null');
  assert.equal(decodeError('ChatNote', note({})), 'attachments: expected List<Attachment>, got object');
  assert.equal(decodeError('ChatNote', 'x'), '(root): expected ChatNote, got string');
  assert.equal(decodeError('Containers', { ints: [], maybeInts: [], names: [], counts: {}, byNumber: [{ k: 'one', v: 'x' }] }),
               'byNumber[0].k: expected int, got string');
});

test('ints must be integers within the safe range', () => {
  const base = { aBool: true, aDouble: 1, aString: '', aDateTime: '2024-01-01T00:00:00Z', aDuration: 0,
                 aByteData: "decode('', 'base64')", aUuid: '550e8400-e29b-41d4-a716-446655440000', aUri: '', aBigInt: '0' };
  assert.equal(decodeError('Scalars', { ...base, anInt: 1.5 }), 'anInt: expected int, got non-integer number 1.5');
  assert.match(decodeError('Scalars', { ...base, anInt: 2 ** 53 }), /^anInt: expected int within ±\(2\^53-1\)/);
  assert.match(decodeError('Scalars', { ...base, anInt: 1, aByteData: 'AQID' }), /^aByteData: expected ByteData/);
  assert.match(decodeError('Scalars', { ...base, anInt: 1, aUuid: 'nope' }), /^aUuid: expected UuidValue/);
  assert.match(decodeError('Scalars', { ...base, anInt: 1, aBigInt: '1.5' }), /^aBigInt: expected BigInt/);
  assert.match(decodeError('Scalars', { ...base, anInt: 1, aDuration: 0.5 }), /^aDuration: expected Duration/);
});

test('subclass tags', () => {
  assert.equal(decodeError('Drawing', { main: { __className__: 'Hexagon', name: 'h' }, shapes: [] }),
               'main.__className__: "Hexagon" is not a Shape');
  assert.equal(decodeError('Drawing', { main: { name: 'no tag' }, shapes: [] }),
               'main.__className__: expected the name of a Shape subclass, got null');
});

test('sets reject duplicates; records and vectors check their shape', () => {
  assert.match(decodeError('Containers', { ints: [], maybeInts: [], names: ['a', 'a'] }), /^names\[1\]: expected Set<String> without duplicates/);
  const records = { pair: { p: [1] } };
  assert.equal(decodeError('Records', records), 'pair.p: expected array of 2 positional fields, got 1');
  assert.equal(decodeError('Records', { pair: { p: [1, 'a'] }, named: { n: { x: 'one' } } }), 'named.n.x: expected int, got string');
  assert.match(decodeError('Vectors', { vector: [1, 2] }), /^vector: expected Vector\(3\) of 3 numbers, got 2/);
  assert.match(decodeError('Vectors', { vector: [1, 2, 3], half: [1, 2], sparse: '{6:1.0}/5' }), /^sparse: expected SparseVector\(5\)/);
  assert.match(decodeError('Vectors', { vector: [1, 2, 3], half: [1, 2], sparse: '{}/5', bits: '102' }), /^bits: expected Bit\(5\)/);
});

test('envelopes: unknown className, missing data', () => {
  assert.throws(() => m.decodeModel({ className: 'Nope', data: {} }), { message: 'className: unknown model "Nope"' });
  assert.throws(() => m.decodeModel({ className: 'Point' }), m.DecodeError);
  assert.throws(() => m.decodeModel([]), m.DecodeError);
  assert.throws(() => m.decodeModel({ className: 'toString', data: {} }), { message: 'className: unknown model "toString"' });
});

test('encoders refuse values without a wire form', () => {
  assert.throws(() => m.encodeModel({ x: 1.5, y: 0 }, 'Point'), { name: 'EncodeError', message: /^x: int must be a safe integer/ });
  assert.throws(() => m.encodeModel(NaN, 'double'), { name: 'EncodeError' });
  assert.throws(() => m.encodeModel(new Date(NaN), 'DateTime'), { name: 'EncodeError' });
  assert.throws(() => m.encodeModel({ main: { __className__: 'Hexagon', name: 'h' }, shapes: [] }, 'Drawing'),
                { name: 'EncodeError', message: 'main.__className__: "Hexagon" is not a Shape' });
  assert.throws(() => m.encodeModel('purple', 'Color'), { name: 'EncodeError' });
});
