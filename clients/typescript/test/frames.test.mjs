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
    { type: 'gap', channel: 'chat', fromSeq: 1017, toSeq: 1342 },
    { type: 'gap', channel: 'chat', fromSeq: 7, toSeq: 7 },
    { type: 'gap', channel: 'room:x', fromSeq: 1, toSeq: Number.MAX_SAFE_INTEGER, later: 'field' },
    { type: 'gap', pushes: 3 },
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

test('frames: a gap frame is a channel range or a push count, nothing in between', () => {
  const cases = [
    ['{"type":"gap"}', /gap frame: must have either "channel" \(with "fromSeq" and "toSeq"\) or "pushes"/],
    ['{"type":"gap","channel":"chat","fromSeq":1,"toSeq":2,"pushes":3}', /must have either "channel"/],
    ['{"type":"gap","channel":"chat","toSeq":2}', /gap frame: "fromSeq" must be present/],
    ['{"type":"gap","channel":"chat","fromSeq":2}', /gap frame: "toSeq" must be present/],
    ['{"type":"gap","channel":"","fromSeq":1,"toSeq":2}', /gap frame: "channel" must be a non-empty string/],
    ['{"type":"gap","channel":5,"fromSeq":1,"toSeq":2}', /gap frame: "channel" must be a non-empty string/],
    ['{"type":"gap","channel":"chat","fromSeq":0,"toSeq":2}', /gap frame: "fromSeq" must be an integer >= 1/],
    ['{"type":"gap","channel":"chat","fromSeq":1.5,"toSeq":2}', /"fromSeq" must be an integer >= 1/],
    ['{"type":"gap","channel":"chat","fromSeq":"1","toSeq":2}', /"fromSeq" must be an integer >= 1/],
    ['{"type":"gap","channel":"chat","fromSeq":1,"toSeq":9007199254740992}', /"toSeq" must be an integer >= 1/],
    ['{"type":"gap","channel":"chat","fromSeq":3,"toSeq":2}', /gap frame: "fromSeq" must be <= "toSeq"/],
    ['{"type":"gap","pushes":0}', /gap frame: "pushes" must be an integer >= 1/],
    ['{"type":"gap","pushes":-2}', /"pushes" must be an integer >= 1/],
    ['{"type":"gap","pushes":null}', /"pushes" must be an integer >= 1/],
    ['{"type":"gap","fromSeq":1,"toSeq":2}', /must have either "channel"/],
  ];
  for (const [text, problem] of cases) {
    const r = parseServerFrame(text);
    assert.equal(r.kind, 'malformed', text);
    assert.match(r.problem, problem, text);
  }
});
