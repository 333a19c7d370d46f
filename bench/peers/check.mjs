// Functional check of one peer: `node bench/peers/check.mjs <ws|uws|socketio|nats> [--port P]`.
//
// Without --port it starts the peer (as the benchmark scripts do: `--port 0`, the port read from its ready
// line) and stops it at the end; with --port it checks a server already running there (`switchboard` is
// accepted as a name too, for a server started by hand: the JSON peers speak its protocol subset). It speaks
// each protocol the way bench/loadgen does, raw frames over a plain WebSocket client (Engine.IO / Socket.IO
// packets for socketio, the NATS text protocol in binary frames for nats), and checks: subscribe acks,
// delivery to every subscriber and to nobody else, per-channel seq from 1, the publish ack and its seq,
// unsubscribe, ping. Exit status 0 when every check passed.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import WebSocket from 'ws';

const here = dirname(fileURLToPath(import.meta.url));
const peers = {
  ws: ['node', [join(here, 'ws.mjs')]],
  uws: ['node', [join(here, 'uws.mjs')]],
  socketio: ['node', [join(here, 'socketio.mjs')]],
  nats: [join(here, 'nats.sh'), []],
};
const WAIT_MS = 2000;   // for a frame that must come
const QUIET_MS = 200;   // for a frame that must not

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
  return ok;
}

// A WebSocket connection whose incoming frames are read in order with next() / quiet().
class Client {
  #frames = [];
  #waiters = [];

  static async open(url) {
    const client = new Client();
    client.socket = new WebSocket(url, { perMessageDeflate: false });
    client.socket.on('message', (data, isBinary) => client.#push(isBinary ? data : data.toString()));
    client.socket.on('error', (error) => client.#push(new Error(error.message)));
    await once(client.socket, 'open');
    return client;
  }

  #push(frame) {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(frame);
    else this.#frames.push(frame);
  }

  send(data) {
    this.socket.send(data);
  }

  // The next frame (a string for text, a Buffer for binary), or null after `ms` without one.
  next(ms = WAIT_MS) {
    if (this.#frames.length > 0) return Promise.resolve(this.#frames.shift());
    return new Promise((resolve) => {
      const waiter = (frame) => {
        clearTimeout(timer);
        resolve(frame);
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        resolve(null);
      }, ms);
      this.#waiters.push(waiter);
    });
  }

  // True when nothing arrives within `ms`.
  async quiet(ms = QUIET_MS) {
    return (await this.next(ms)) === null;
  }

  close() {
    this.socket.close(1000);
  }
}

const chatMessage = (text) => ({ className: 'ChatMessage', data: { sender: 'bench', text } });
const json = (frame) => {
  try {
    return typeof frame === 'string' ? JSON.parse(frame) : null;
  } catch {
    return null;
  }
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// ---- ws, uws (and switchboard): the Switchboard subset -----------------------------------------------------

async function checkSwitchboardSubset(port) {
  const url = `ws://127.0.0.1:${port}/ws`;
  const channel = `room:check-${process.pid}`;
  const [a, b, publisher] = await Promise.all([Client.open(url), Client.open(url), Client.open(url)]);
  for (const [name, client] of [['a', a], ['b', b], ['publisher', publisher]]) {
    const welcome = json(await client.next());
    check(welcome?.type === 'welcome' && typeof welcome.session === 'string' && welcome.protocol === 1,
      `${name}: welcome on connect`);
  }
  let id = 0;
  const request = async (client, frame) => {
    client.send(JSON.stringify({ ...frame, id: ++id }));
    return json(await client.next());
  };
  for (const [name, client] of [['a', a], ['b', b]]) {
    const ack = await request(client, { type: 'subscribe', channel });
    check(ack?.type === 'ack' && ack.id === id && ack.seq === undefined, `${name}: subscribe acked ${JSON.stringify(ack)}`);
  }

  // Three publishes: each subscriber gets seqs 1, 2, 3 in order; the publisher an ack per publish with its seq.
  for (let n = 1; n <= 3; n++) publisher.send(JSON.stringify({ type: 'publish', id: 100 + n, channel, message: chatMessage(`m${n}`) }));
  for (let n = 1; n <= 3; n++) {
    const ack = json(await publisher.next());
    check(ack?.type === 'ack' && ack.id === 100 + n && ack.seq === n, `publisher: ack ${n} ${JSON.stringify(ack)}`);
  }
  for (const [name, client] of [['a', a], ['b', b]]) {
    for (let n = 1; n <= 3; n++) {
      const message = json(await client.next());
      check(message?.type === 'message' && message.channel === channel && message.seq === n &&
        same(message.message, chatMessage(`m${n}`)), `${name}: message seq ${n}`);
    }
  }
  check(await publisher.quiet(), 'publisher (not subscribed): no message');

  // A subscribed publisher gets its own message as well as the ack.
  a.send(JSON.stringify({ type: 'publish', id: 200, channel, message: chatMessage('own') }));
  const got = [json(await a.next()), json(await a.next())];
  const own = got.find((f) => f?.type === 'message');
  const ack = got.find((f) => f?.type === 'ack');
  const order = got[0]?.type === 'message' ? 'before' : 'after';
  check(own?.seq === 4 && same(own.message, chatMessage('own')), `a: its own message, seq 4 (${order} its ack)`);
  check(ack?.id === 200 && ack.seq === 4, 'a: its publish ack, seq 4');
  check(json(await b.next())?.seq === 4, 'b: seq 4');

  // Unsubscribe: b no longer receives; a does.
  const unsubscribed = await request(b, { type: 'unsubscribe', channel });
  check(unsubscribed?.type === 'ack' && unsubscribed.id === id, 'b: unsubscribe acked');
  const ack5 = await request(publisher, { type: 'publish', channel, message: chatMessage('after') });
  check(ack5?.seq === 5, 'publisher: ack seq 5');
  check(json(await a.next())?.seq === 5, 'a: seq 5');
  check(await b.quiet(), 'b (unsubscribed): no message');

  // Another channel: without subscribers a publish reaches nobody and is acked with seq 0; its numbering
  // starts at 1 with its first subscriber and again at 1 once its last one left and another came.
  const other = `${channel}-other`;
  const otherPublish = (text) => request(publisher, { type: 'publish', channel: other, message: chatMessage(text) });
  const ack0 = await otherPublish('nobody');
  check(ack0?.type === 'ack' && ack0.seq === 0, `channel without subscribers: ack seq 0 ${JSON.stringify(ack0)}`);
  await request(b, { type: 'subscribe', channel: other });
  for (const n of [1, 2]) {
    const ackN = await otherPublish(`o${n}`);
    check(ackN?.seq === n && json(await b.next())?.seq === n, `another channel: its own seq ${n}`);
  }
  check(await a.quiet(), 'a: nothing from the other channel');
  await request(b, { type: 'unsubscribe', channel: other });
  await request(b, { type: 'subscribe', channel: other });
  const again = await otherPublish('again');
  check(again?.seq === 1 && json(await b.next())?.seq === 1, 'seq restarts at 1 after the last subscriber left');

  const pong = await request(b, { type: 'ping' });
  check(pong?.type === 'pong' && pong.id === id, 'ping -> pong with the id');

  const bad = await request(b, { type: 'publish' });
  check(bad?.type === 'error', `malformed publish -> error ${JSON.stringify(bad)}`);

  for (const client of [a, b, publisher]) client.close();
}

// ---- socketio: Engine.IO v4 / Socket.IO v5 packets over a raw WebSocket ----------------------------------

async function checkSocketIo(port) {
  const url = `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`;
  const channel = `room:check-${process.pid}`;
  const [a, b, publisher] = await Promise.all([Client.open(url), Client.open(url), Client.open(url)]);
  for (const [name, client] of [['a', a], ['b', b], ['publisher', publisher]]) {
    const open = await client.next();
    const handshake = json(open?.slice(1));
    check(open?.[0] === '0' && typeof handshake?.sid === 'string' && handshake.pingInterval === 60000,
      `${name}: Engine.IO open ${open}`);
    client.send('40');
    const connect = await client.next();
    check(connect?.startsWith('40') && typeof json(connect.slice(2))?.sid === 'string', `${name}: Socket.IO connect ${connect}`);
  }
  let id = 0;
  const emit = async (client, ...args) => {
    client.send(`42${++id}${JSON.stringify(args)}`);
    return client.next();
  };
  for (const [name, client] of [['a', a], ['b', b]]) {
    const ack = await emit(client, 'subscribe', channel);
    check(ack === `43${id}[{"ok":true}]`, `${name}: subscribe acked ${ack}`);
  }
  for (let n = 1; n <= 3; n++) publisher.send(`42${100 + n}${JSON.stringify(['publish', { channel, message: chatMessage(`m${n}`) }])}`);
  for (let n = 1; n <= 3; n++) {
    const ack = await publisher.next();
    check(ack === `43${100 + n}[{"seq":${n}}]`, `publisher: ack ${n} ${ack}`);
  }
  for (const [name, client] of [['a', a], ['b', b]]) {
    for (let n = 1; n <= 3; n++) {
      const frame = await client.next();
      const event = frame?.startsWith('42') ? json(frame.slice(2)) : null;
      check(event?.[0] === 'message' && event[1].channel === channel && event[1].seq === n &&
        same(event[1].message, chatMessage(`m${n}`)), `${name}: message seq ${n} ${frame}`);
    }
  }
  check(await publisher.quiet(), 'publisher (not subscribed): no message');
  const unsubscribed = await emit(b, 'unsubscribe', channel);
  check(unsubscribed === `43${id}[{"ok":true}]`, 'b: unsubscribe acked');
  const ack4 = await emit(publisher, 'publish', { channel, message: chatMessage('after') });
  check(ack4 === `43${id}[{"seq":4}]`, `publisher: ack seq 4 ${ack4}`);
  check(json((await a.next())?.slice(2))?.[1]?.seq === 4, 'a: seq 4');
  check(await b.quiet(), 'b (unsubscribed): no message');
  const other = `${channel}-other`;
  const ack0 = await emit(publisher, 'publish', { channel: other, message: chatMessage('nobody') });
  check(ack0 === `43${id}[{"seq":0}]`, `channel without subscribers: ack seq 0 ${ack0}`);
  await emit(b, 'subscribe', other);
  const ack1 = await emit(publisher, 'publish', { channel: other, message: chatMessage('o1') });
  check(ack1 === `43${id}[{"seq":1}]` && json((await b.next())?.slice(2))?.[1]?.seq === 1, 'another channel: its own seq 1');
  check(await a.quiet(), 'a: nothing from the other channel');
  await emit(b, 'unsubscribe', other);
  await emit(b, 'subscribe', other);
  const again = await emit(publisher, 'publish', { channel: other, message: chatMessage('again') });
  check(again === `43${id}[{"seq":1}]` && json((await b.next())?.slice(2))?.[1]?.seq === 1,
    'seq restarts at 1 after the last subscriber left');
  // An Engine.IO ping answered by the client is what keeps a connection; the server's pong to a client ping
  // ("2" -> "3") is not part of Engine.IO v4, so only the server's pingInterval above is checked.
  for (const client of [a, b, publisher]) client.close();
}

// ---- nats: the NATS text protocol in binary WebSocket frames ----------------------------------------------

// Splits the byte stream of one NATS connection into protocol messages (INFO, MSG with its payload, PING...).
class NatsClient {
  #buffer = '';
  #messages = [];

  static async open(url) {
    const nats = new NatsClient();
    nats.client = await Client.open(url);
    return nats;
  }

  // The next protocol message: {op, args, payload}, or null after `ms`. Server PINGs are answered here.
  async next(ms = WAIT_MS) {
    const deadline = Date.now() + ms;
    for (;;) {
      const message = this.#parse();
      if (message?.op === 'PING') {
        this.client.send(Buffer.from('PONG\r\n'));
        continue;
      }
      if (message) return message;
      const frame = await this.client.next(Math.max(0, deadline - Date.now()));
      if (frame === null) return null;
      this.#buffer += Buffer.isBuffer(frame) ? frame.toString('latin1') : `<text frame ${frame}>`;
    }
  }

  #parse() {
    if (this.#messages.length > 0) return this.#messages.shift();
    const end = this.#buffer.indexOf('\r\n');
    if (end < 0) return null;
    const [op, ...args] = this.#buffer.slice(0, end).split(' ');
    if (op !== 'MSG') {
      this.#buffer = this.#buffer.slice(end + 2);
      return { op, args };
    }
    const size = Number(args[args.length - 1]);
    if (this.#buffer.length < end + 2 + size + 2) return null;
    const payload = this.#buffer.slice(end + 2, end + 2 + size);
    this.#buffer = this.#buffer.slice(end + 2 + size + 2);
    return { op, args, payload };
  }

  send(text) {
    this.client.send(Buffer.from(text, 'latin1'));
  }

  async quiet(ms = QUIET_MS) {
    return (await this.next(ms)) === null;
  }

  close() {
    this.client.close();
  }
}

async function checkNats(port) {
  const url = `ws://127.0.0.1:${port}`;
  const subject = `room.check-${process.pid}`;
  const [a, b, publisher] = await Promise.all([NatsClient.open(url), NatsClient.open(url), NatsClient.open(url)]);
  for (const [name, client] of [['a', a], ['b', b], ['publisher', publisher]]) {
    const info = await client.next();
    check(info?.op === 'INFO', `${name}: INFO first`);
    client.send('CONNECT {"verbose":false,"pedantic":false,"protocol":1}\r\nPING\r\n');
    check((await client.next())?.op === 'PONG', `${name}: CONNECT + PING -> PONG`);
  }
  for (const [name, client] of [['a', a], ['b', b]]) {
    client.send(`SUB ${subject} 1\r\nPING\r\n`);
    check((await client.next())?.op === 'PONG', `${name}: SUB + PING -> PONG`);
  }
  // loadgen's shape: the seq travels in the payload; PING after each PUB, its PONG counts as the ack.
  const payload = (n) => JSON.stringify({ seq: n, message: chatMessage(`m${n}`) });
  for (let n = 1; n <= 3; n++) publisher.send(`PUB ${subject} ${payload(n).length}\r\n${payload(n)}\r\nPING\r\n`);
  for (let n = 1; n <= 3; n++) check((await publisher.next())?.op === 'PONG', `publisher: PONG ${n}`);
  for (const [name, client] of [['a', a], ['b', b]]) {
    for (let n = 1; n <= 3; n++) {
      const message = await client.next();
      check(message?.op === 'MSG' && message.args[0] === subject && message.payload === payload(n), `${name}: MSG ${n} in order`);
    }
  }
  check(await publisher.quiet(), 'publisher (not subscribed): no MSG');
  b.send('UNSUB 1\r\nPING\r\n');
  check((await b.next())?.op === 'PONG', 'b: UNSUB + PING -> PONG');
  publisher.send(`PUB ${subject} ${payload(4).length}\r\n${payload(4)}\r\nPING\r\n`);
  check((await publisher.next())?.op === 'PONG', 'publisher: PONG 4');
  check((await a.next())?.payload === payload(4), 'a: MSG 4');
  check(await b.quiet(), 'b (unsubscribed): no MSG');
  for (const client of [a, b, publisher]) client.close();
}

// ---- main ------------------------------------------------------------------------------------------------

async function startPeer(name) {
  const [command, args] = peers[name];
  const child = spawn(command, [...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill('SIGTERM'), 10000);
  for await (const line of lines) {
    const ready = line.match(new RegExp(`^${name} listening on 127\\.0\\.0\\.1:(\\d+)$`));
    clearTimeout(timer);
    if (!ready) throw new Error(`${name}: unexpected first line: ${line}`);
    return { child, port: Number(ready[1]) };
  }
  throw new Error(`${name} exited before its ready line`);
}

const [name, flag, portArg] = process.argv.slice(2);
if (!(name in peers) && !(name === 'switchboard' && flag === '--port')) {
  console.error('usage: node bench/peers/check.mjs <ws|uws|socketio|nats> [--port P]   (switchboard needs --port)');
  process.exit(2);
}
const started = flag === '--port' ? null : await startPeer(name);
const port = started ? started.port : Number(portArg);
if (started) console.log(`started ${name} on port ${port} (pid ${started.child.pid})`);
try {
  if (name === 'socketio') await checkSocketIo(port);
  else if (name === 'nats') await checkNats(port);
  else await checkSwitchboardSubset(port);
} catch (error) {
  check(false, `${error.stack ?? error}`);
}
if (started) {
  started.child.kill('SIGTERM');
  const [code, signal] = await once(started.child, 'exit');
  check(code === 0 || signal === 'SIGTERM', `${name} stopped on SIGTERM (exit ${code ?? signal})`);
}
console.log(failures === 0 ? `${name}: all checks passed` : `${name}: ${failures} checks FAILED`);
process.exit(failures === 0 ? 0 : 1);
