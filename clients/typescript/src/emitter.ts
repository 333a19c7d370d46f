// A minimal typed event emitter. `Events` maps each event name to the tuple of its listener's arguments.
// Listeners run synchronously in registration order; a listener added or removed during an emit takes effect
// from the next emit on.

export type Listener<Args extends unknown[]> = (...args: Args) => void;

export class Emitter<Events extends { [name: string]: unknown[] }> {
  private readonly listeners: { [K in keyof Events]?: Set<Listener<Events[K]>> } = {};

  // Returns a function that removes the listener again.
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners[event];
    if (!set) {
      set = new Set();
      this.listeners[event] = set;
    }
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.listeners[event]?.delete(listener);
  }

  listenerCount<K extends keyof Events>(event: K): number {
    return this.listeners[event]?.size ?? 0;
  }

  // Calls every listener of `event`; an exception from one is passed to `onThrow` and the others still run.
  emit<K extends keyof Events>(event: K, args: Events[K], onThrow: (error: unknown) => void): void {
    const set = this.listeners[event];
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        onThrow(error);
      }
    }
  }
}
