// The subset of Switchboard's wire protocol every benchmark speaks (bench/peers/README.md), for the JSON peers
// (ws.mjs, uws.mjs). Transport-independent: the servers call decode() on each text frame and send the frames
// built here. Like Switchboard, a publish is parsed and its message object serialized again into the broadcast,
// once per publish whatever the number of subscribers.

let nextSession = 1;

export function welcomeFrame(serverName) {
  return `{"type":"welcome","session":"${nextSession++}","protocol":1,"server":"${serverName}"}`;
}

export function ackFrame(id, seq) {
  return seq === undefined ? `{"type":"ack","id":${id}}` : `{"type":"ack","id":${id},"seq":${seq}}`;
}

export function pongFrame(id) {
  return id === undefined ? '{"type":"pong"}' : `{"type":"pong","id":${id}}`;
}

export function errorFrame(id, code, message) {
  return JSON.stringify(id === undefined ? { type: 'error', code, message } : { type: 'error', id, code, message });
}

export function messageFrame(channel, seq, message) {
  return JSON.stringify({ type: 'message', channel, seq, message });
}

// Per-channel sequence numbers, as Switchboard numbers them (docs/protocol.md): 1 for a channel's first publish,
// +1 for each after it; a channel exists only while it has subscribers, and when its last one leaves its
// numbering starts again at 1 (forget()). A publish to a channel without subscribers reaches nobody, takes no
// number, and is acked with seq 0: the servers do not call next() for it.
export class SeqCounters {
  #seqs = new Map();

  next(channel) {
    const seq = (this.#seqs.get(channel) ?? 0) + 1;
    this.#seqs.set(channel, seq);
    return seq;
  }

  forget(channel) {
    this.#seqs.delete(channel);
  }
}

// One client frame: {kind: 'subscribe'|'unsubscribe'|'publish'|'ping', id, channel, message} or
// {kind: 'error', id, code, message}. `id` is undefined when the frame has none.
export function decode(text) {
  let frame;
  try {
    frame = JSON.parse(text);
  } catch {
    return { kind: 'error', code: 'bad_json', message: 'frame is not JSON' };
  }
  if (frame === null || typeof frame !== 'object') return { kind: 'error', code: 'bad_frame', message: 'not an object' };
  const id = Number.isInteger(frame.id) ? frame.id : undefined;
  switch (frame.type) {
    case 'subscribe':
    case 'unsubscribe':
      if (typeof frame.channel !== 'string' || frame.channel === '') break;
      return { kind: frame.type, id, channel: frame.channel };
    case 'publish': {
      const message = frame.message;
      if (typeof frame.channel !== 'string' || frame.channel === '') break;
      if (message === null || typeof message !== 'object' || typeof message.className !== 'string') break;
      if (message.data === null || typeof message.data !== 'object') break;
      return { kind: 'publish', id, channel: frame.channel, message };
    }
    case 'ping':
      return { kind: 'ping', id };
    default:
      return { kind: 'error', id, code: 'bad_frame', message: 'unknown type' };
  }
  return { kind: 'error', id, code: 'bad_frame', message: `malformed ${frame.type}` };
}
