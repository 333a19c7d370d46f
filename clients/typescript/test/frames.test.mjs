// frames.ts: parsing server frames; malformed frames are reported with the field at fault (pure, no sockets).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerFrame } from '../dist/index.js';

const welcome = {
  type: 'welcome', session: '513', protocol: 1, server: 'switchboard/0.1.0', heartbeatMs: 25_000,
  limits: { maxMessageBytes: 65_536 },
};

test('frames: every server frame of docs/protocol.md parses, unknown fields ignored', () => {
  const frames = [
    welcome,
    { type: 'ack', id: 1 },
    { type: 'ack', id: 2, seq: 17 },
    { type: 'error', id: 1, code: 'invalid_channel', message: 'bad' },
    { type: 'error', code: 'bad_json', message: 'frame is not valid JSON' },
    { type: 'message', channel: 'chat', seq: 17, message: { className: 'ChatMessage', data: { text: 'hi' } } },
    { type: 'push', message: { className: 'Notice', data: null } },
    { type: 'push', group: 'admins', message: { className: 'Notice', data: {} } },
    { type: 'pong', id: 4 },
    { type: 'pong' },
    { type: 'ack', id: 3, later: 'field' },
  ];
  for (const f of frames) {
    assert.deepEqual(parseServerFrame(JSON.stringify(f)), { kind: 'frame', frame: f });
  }
});

test('frames: a frame type of a later protocol version is "unknown", not malformed', () => {
  assert.deepEqual(parseServerFrame('{"type":"history","channel":"chat"}'), { kind: 'unknown', type: 'history' });
});

test('frames: malformed frames name what is wrong', () => {
  const cases = [
    ['{"type":"ack"', /not JSON/],
    ['[1]', /not a JSON object/],
    ['{"id":1}', /no string "type"/],
    ['{"type":5}', /no string "type"/],
    ['{"type":"ack"}', /ack frame: "id" must be present/],
    ['{"type":"ack","id":-1}', /"id" must be an integer >= 0/],
    ['{"type":"ack","id":1.5}', /"id" must be an integer >= 0/],
    ['{"type":"ack","id":1,"seq":"2"}', /"seq" must be an integer >= 0/],
    ['{"type":"error","id":1,"message":"m"}', /"code" must be present/],
    ['{"type":"message","channel":"chat","seq":1,"message":{"data":1}}', /"message" must be a model message/],
    ['{"type":"message","channel":"chat","seq":1,"message":{"className":"A"}}', /"message" must be a model message/],
    ['{"type":"message","channel":"","seq":1,"message":{"className":"A","data":1}}', /"channel" must be a non-empty/],
    ['{"type":"push","group":7,"message":{"className":"A","data":1}}', /"group" must be a non-empty string/],
    [JSON.stringify({ ...welcome, session: 513 }), /welcome frame: "session" must be a string/],
    [JSON.stringify({ ...welcome, limits: {} }), /"limits" must be \{"maxMessageBytes": number\}/],
  ];
  for (const [text, problem] of cases) {
    const r = parseServerFrame(text);
    assert.equal(r.kind, 'malformed', text);
    assert.match(r.problem, problem, text);
  }
});
