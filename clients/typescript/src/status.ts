// The connection states a client reports through its "status" event, always in this order:
//
//   connecting -> connected -> waiting -> connecting -> connected -> ...
//                 (a failed attempt goes connecting -> waiting -> connecting)
//   any state  -> closed   (client.close(), reconnect disabled, maxAttempts used up; final)

import type { WelcomeFrame } from "./frames.js";

export type Status =
  // A connection attempt started. `attempt` counts from 1 since start or since the last connected state.
  | { state: "connecting"; attempt: number }
  // The welcome frame arrived: requests flow, subscriptions are being re-established.
  | { state: "connected"; session: string; welcome: WelcomeFrame }
  // The connection dropped or the attempt failed; attempt number `attempt` starts after `delayMs`.
  // `code` is the WebSocket close code: the server's, 1006 when the connection failed or was lost without a
  // close frame, 4000 when the client closed it for a heartbeat or connect timeout, 4001 when the server broke
  // the protocol. `reason` says what happened, in English.
  | { state: "waiting"; attempt: number; delayMs: number; code: number; reason: string }
  // Final: no more connection attempts.
  | { state: "closed"; code: number; reason: string };
