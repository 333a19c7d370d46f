// The demo chat page: one Switchboard client (clients/typescript) per join, the generated demo models
// (demo/protocol) for encoding and decoding, and plain DOM. demo/web/build.mjs stages this file beside a copy of
// the client, so the imports below resolve in the staging folder, not in demo/web/.

import { type Client, connect, type Resubscribed, type Status } from "./client/index.js";
import { type ChatMessage, type DecodedModel, decodeModel, encodeModel, type Notice } from "./client/models/demo/index.js";

const NAME_KEY = "switchboard.chat.name";
const CHANNEL_KEY = "switchboard.chat.channel";
// Older lines are dropped past this, so that a long session stays fast.
const MAX_ITEMS = 500;
// The channels the demo server lets clients publish to (demo/channels.yaml); the input's pattern says the same.
const CHANNEL_RE = /^(chat|room:[A-Za-z0-9_\-:.@/=]+)$/;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`index.html has no #${id}`);
  return found as T;
}

const ui = {
  status: element<HTMLParagraphElement>("status"),
  joinForm: element<HTMLFormElement>("join"),
  name: element<HTMLInputElement>("name"),
  channel: element<HTMLInputElement>("channel"),
  chat: element<HTMLElement>("chat"),
  channelTitle: element<HTMLHeadingElement>("channel-title"),
  leave: element<HTMLButtonElement>("leave"),
  messages: element<HTMLOListElement>("messages"),
  sendForm: element<HTMLFormElement>("send"),
  text: element<HTMLInputElement>("text"),
};

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

// The current session of the page; null before joining and after leaving.
let session: { client: Client<DecodedModel>; name: string; channel: string } | null = null;
// Ticks the "reconnecting in N s" countdown while the client waits.
let countdown: ReturnType<typeof setInterval> | undefined;

function showStatus(status: Status, name: string): void {
  clearInterval(countdown);
  countdown = undefined;
  ui.status.dataset.state = status.state;
  switch (status.state) {
    case "connecting":
      ui.status.textContent = status.attempt === 1 ? "connecting…" : `connecting (attempt ${status.attempt})…`;
      break;
    case "connected":
      ui.status.textContent = `connected as ${name}`;
      break;
    case "waiting": {
      const until = Date.now() + status.delayMs;
      const tick = () => {
        const seconds = Math.max(0, Math.ceil((until - Date.now()) / 1000));
        // Rewritten only when the number changes: the line is a live region, read out on every change.
        const text = `${status.reason}; reconnecting in ${seconds} s`;
        if (ui.status.textContent !== text) ui.status.textContent = text;
      };
      tick();
      countdown = setInterval(tick, 250);
      break;
    }
    case "closed":
      ui.status.textContent = `closed: ${status.reason}`;
      break;
  }
}

// Appends a line to the message list and keeps the view at the bottom if the reader was there.
function append(item: HTMLLIElement): void {
  const list = ui.messages;
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.append(item);
  while (list.childElementCount > MAX_ITEMS) list.firstElementChild?.remove();
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function line(kind: string, ...parts: [className: string, text: string][]): HTMLLIElement {
  const item = document.createElement("li");
  item.className = kind;
  item.dataset.testid = kind;
  for (const [className, text] of parts) {
    const span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    item.append(span);
  }
  return item;
}

function showMessage(message: ChatMessage, own: boolean): void {
  const item = line("message", ["time", timeFormat.format(message.time)], ["sender", message.sender],
                    ["text", message.text]);
  if (own) item.classList.add("own");
  append(item);
}

function showNotice(notice: Notice): void {
  const item = line("notice", ["text", notice.text]);
  item.classList.add(notice.level);
  append(item);
}

// Connection notes and failures: said once, in the list, where the reader is looking.
function showNote(text: string): void {
  append(line("note", ["text", text]));
}

function join(name: string, channel: string): void {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const client = connect<DecodedModel>(`${scheme}//${location.host}/ws?user=${encodeURIComponent(name)}`, {
    decode: decodeModel,
  });
  session = { client, name, channel };
  // After Leave the old client may still report its close: only the current one reaches the page.
  const current = <A extends unknown[]>(handler: (...args: A) => void) => (...args: A) => {
    if (session?.client === client) handler(...args);
  };
  client.on("status", current((status: Status) => showStatus(status, name)));
  client.on("error", current((error: Error) => showNote(`error: ${error.message}`)));
  // The server pushes a warning Notice to whoever signs a message with another name.
  client.on("push", current((model: DecodedModel) => {
    if (model.className === "Notice") showNotice(model.value);
  }));
  // The server keeps no history: whatever was published to the channel while this page was offline is gone.
  client.on("resubscribed", current((info: Resubscribed) => {
    if (info.channel === channel && !info.recovered) {
      showNote("reconnected; messages sent while you were offline are not shown");
    }
  }));
  const follow = (target: string, onModel: (model: DecodedModel) => void) =>
    client.subscribe(target, current(onModel))
      .catch(current((error: Error) => showNote(`cannot follow ${target}: ${error.message}`)));
  void follow("notifications", (model) => {
    if (model.className === "Notice") showNotice(model.value);
  });
  void follow(channel, (model) => {
    if (model.className === "ChatMessage") showMessage(model.value, model.value.sender === name);
  });

  ui.channelTitle.textContent = channel;
  ui.joinForm.hidden = true;
  ui.chat.hidden = false;
  ui.text.focus();
}

function leave(): void {
  session?.client.close();
  session = null;
  clearInterval(countdown);
  ui.status.dataset.state = "idle";
  ui.status.textContent = "not connected";
  ui.messages.replaceChildren();
  ui.chat.hidden = true;
  ui.joinForm.hidden = false;
  ui.name.focus();
}

ui.joinForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const name = ui.name.value.trim();
  const channel = ui.channel.value.trim();
  if (name === "" || !CHANNEL_RE.test(channel)) return;
  localStorage.setItem(NAME_KEY, name);
  localStorage.setItem(CHANNEL_KEY, channel);
  join(name, channel);
});

ui.sendForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = ui.text.value;
  if (!session || text.trim() === "") return;
  const { client, name, channel } = session;
  ui.text.value = "";
  // While reconnecting the publish waits for the connection (up to the client's request timeout).
  client.publish(channel, encodeModel({ text, sender: name, time: new Date() }, "ChatMessage")).catch((error: Error) => {
    showNote(`not sent (${error.message}): ${text}`);
    if (ui.text.value === "") ui.text.value = text;
  });
});

ui.leave.addEventListener("click", leave);

ui.name.value = localStorage.getItem(NAME_KEY) ?? "";
ui.channel.value = localStorage.getItem(CHANNEL_KEY) ?? "chat";
(ui.name.value === "" ? ui.name : element<HTMLButtonElement>("join-button")).focus();
