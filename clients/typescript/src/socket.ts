// The WebSocket the client needs: the browser's, or one with the same interface (ws's WebSocket on Node).

// Event handlers are declared as methods so that the browser's and ws's handler types, whose event types are
// richer than these, both fit (TypeScript compares method parameters bivariantly).
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: { handler(event: unknown): void }["handler"] | null;
  onmessage: { handler(event: { data: unknown }): void }["handler"] | null;
  onclose: { handler(event: { code: number; reason: string }): void }["handler"] | null;
  onerror: { handler(event: unknown): void }["handler"] | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

// readyState of an open socket (the same in browsers and ws).
export const OPEN = 1;

// The platform's WebSocket (browsers, Deno, Node 22+), or undefined.
export function globalWebSocket(): WebSocketConstructor | undefined {
  const ctor = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof ctor === "function" ? (ctor as WebSocketConstructor) : undefined;
}

// Stops a socket from reaching the client: its handlers become no-ops (not null: ws emits "error" as an
// EventEmitter event, and one without a listener would be thrown), then it is closed if still open.
export function detach(socket: WebSocketLike, code: number, reason: string): void {
  const ignore = () => {};
  socket.onopen = ignore;
  socket.onmessage = ignore;
  socket.onclose = ignore;
  socket.onerror = ignore;
  try {
    socket.close(code, reason);
  } catch {
    // already closing or closed
  }
}
