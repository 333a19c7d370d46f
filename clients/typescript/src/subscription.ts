// The handle subscribe() returns: one handler on one channel.

export class Subscription {
  readonly channel: string;
  private readonly readLastSeq: () => number;
  private readonly release: () => Promise<void>;

  // Made by Client.subscribe; `release` removes this handler (and the channel with its last handler).
  constructor(channel: string, readLastSeq: () => number, release: () => Promise<void>) {
    this.channel = channel;
    this.readLastSeq = readLastSeq;
    this.release = release;
  }

  // The last seq this client accounted for on the channel: the seq of the last message received, or the toSeq
  // of a later "gap" event (messages the server dropped because the client read too slowly); 0 before either.
  // It keeps its value across a reconnect until the next message or gap; the server numbers from 1 again when
  // the channel was recreated (e.g. after a server restart).
  get lastSeq(): number {
    return this.readLastSeq();
  }

  // Removes this handler. The server is told to unsubscribe only when it was the channel's last handler.
  unsubscribe(): Promise<void> {
    return this.release();
  }
}
