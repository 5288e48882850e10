/* Shared by the officer console and the supervisor floor: the JSON API, the staff Socket.IO room, the
   timer's colour, the dialogs and the status line. No framework: the pages must run on a mini-PC's
   Chromium without internet. Tested in tests/e2e/test_staff_helpers.py. */

import { byId, el } from "/static/common/dom.js";
import { errorOf, request, requestJson } from "/static/common/net.js";
import { openLive } from "/static/common/live.js";

const TICKET_EVENTS = [
  "ticket.issued", "ticket.called", "ticket.recalled", "ticket.started", "ticket.finished",
  "ticket.no_show", "ticket.requeued", "ticket.transferred", "ticket.held", "ticket.resumed",
  "ticket.cancelled",
];
const OPEN_STATUSES = ["waiting", "called", "serving", "held"];

/* The running timer's colour: exactly the standard time is still on time; amberShare (from the
   server, domain/alerts.py AMBER_SHARE) of it turns amber. */
export function timerState(elapsedMinutes, standardMinutes, amberShare) {
  if (elapsedMinutes > standardMinutes) return "red";
  if (elapsedMinutes >= standardMinutes * amberShare) return "amber";
  return "green";
}

/* The JSON API under `base`; an ended session goes to the login page. */
export class Api {
  constructor(base, loginUrl) {
    this.base = base;
    this.loginUrl = loginUrl;
  }

  async request(method, path, body) {
    const result = await requestJson(this.base + path, { method, body });
    if (result.status === 401 && this.loginUrl) window.location.assign(this.loginUrl);
    return result;
  }

  get(path) {
    return this.request("GET", path);
  }

  post(path, body) {
    return this.request("POST", path, body || {});
  }
}

/* The floor as the staff room sends it: tickets, queues and counters, kept current by events. */
export class Floor {
  constructor() {
    this.tickets = new Map();
    this.queues = new Map();
    this.counters = new Map();
  }

  load(snapshot) {
    this.tickets.clear();
    this.queues.clear();
    this.counters.clear();
    (snapshot.tickets || []).forEach((t) => this.putTicket(t));
    (snapshot.queues || []).forEach((q) => this.queues.set(q.service_id, q));
    (snapshot.counters || []).forEach((c) => this.counters.set(c.id, c));
  }

  putTicket(ticket) {
    if (OPEN_STATUSES.includes(ticket.status)) this.tickets.set(ticket.id, ticket);
    else this.tickets.delete(ticket.id);
  }

  list(filter) {
    return [...this.tickets.values()].filter(filter);
  }

  /* Priority first, then arrival: the order a queue is called in. */
  static byCallOrder(a, b) {
    if (a.priority !== b.priority) return a.priority ? -1 : 1;
    if (a.queued_at !== b.queued_at) return Date.parse(a.queued_at) - Date.parse(b.queued_at);
    return a.id - b.id;
  }
}

/* Join the staff room with the session cookie; every (re)connect brings a full snapshot. */
export function connectFloor(floor, onChange, onStatus) {
  const events = {
    "queue.changed": (line) => {
      floor.queues.set(line.service_id, line);
      onChange("queue.changed", line);
    },
    "counter.changed": (counter) => {
      floor.counters.set(counter.id, counter);
      onChange("counter.changed", counter);
    },
  };
  for (const name of TICKET_EVENTS) {
    events[name] = (ticket) => {
      floor.putTicket(ticket);
      onChange(name, ticket);
    };
  }
  const socket = openLive({
    kind: "staff",
    options: { transports: ["websocket", "polling"] },
    events,
    onSnapshot: (snapshot) => {
      floor.load(snapshot);
      onChange("snapshot", snapshot);
    },
    onStatus: (connected, reason) => {
      onStatus(connected);
      if (reason === "io server disconnect") checkSession();
    },
  });

  /* The server drops the socket when the person's sessions end (logout elsewhere, password reset,
     deactivation): then the login page, else connect again. */
  function checkSession() {
    request("/api/v1/auth/me")
      .then((response) => {
        if (response.status === 401) {
          window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
        } else if (!socket.connected) {
          socket.connect();
        }
      })
      .catch(() => {}); // offline: socket.io retries by itself
  }
  return socket;
}

/* The API's refusal in the page's words (strings.errors by code), else its own message. */
export function errorText(result, strings) {
  const error = errorOf(result);
  return (strings.errors && strings.errors[error.code]) || error.message || strings.failed;
}

/* The status line under the top bar; kind "ok" or "bad". */
export function say(text, kind) {
  const box = byId("message");
  box.textContent = text || "";
  box.className = `message${kind ? ` message--${kind}` : ""}`;
}

/* The live badge: connected to the staff room or not. */
export function showLive(connected, strings) {
  const live = byId("live");
  live.textContent = connected ? strings.online : strings.offline;
  live.className = `live ${connected ? "live--on" : "live--off"}`;
}

/* "12 min" */
export function minutesText(minutes, strings) {
  return `${Math.floor(minutes)} ${strings.min}`;
}

/* The share of visits within the standard time, "87%", or "—". */
export function shareText(share) {
  return share === null || share === undefined ? "—" : `${Math.round(share * 100)}%`;
}

/* The little "P" of a priority ticket. */
export function priorityBadge(ticket, strings) {
  return ticket.priority ? el("span", { className: "badge badge--priority badge--small", title: strings.priority, text: "P" }) : null;
}

/* A transfer's service list: every service but the ticket's own, the first other one chosen. */
export function offerOtherServices(select, serviceId) {
  for (const option of select.options) option.disabled = Number(option.value) === serviceId;
  const first = [...select.options].find((option) => !option.disabled);
  if (first) select.value = first.value;
}

/* Keyboard shortcuts, except while typing or while a dialog is open. */
export function onShortcut(handler) {
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
    const target = event.target;
    const tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    if (document.querySelector("dialog[open]")) return;
    if (handler(event.key.toLowerCase(), event)) event.preventDefault();
  });
}

/* The cancel dialog (templates/officer/_cancel_dialog.html): a reason from the office's list is
   required; done(ticket, result) gets the API's answer. */
export class CancelDialog {
  constructor(api, done) {
    this.ticket = null;
    const reason = byId("cancel-reason");
    const note = byId("cancel-note");
    byId("cancel-form").addEventListener("submit", (event) => {
      event.preventDefault();
      if (!reason.value) {
        reason.focus();
        return;
      }
      byId("cancel-dialog").close();
      const ticket = this.ticket;
      if (!ticket) return;
      this.ticket = null;
      const body = { reason: reason.value };
      if (note.value.trim()) body.note = note.value.trim();
      api.post(`/tickets/${ticket.id}/cancel`, body).then((result) => done(ticket, result));
    });
  }

  open(ticket) {
    this.ticket = ticket;
    byId("cancel-number").textContent = ticket.number;
    byId("cancel-reason").value = "";
    byId("cancel-note").value = "";
    byId("cancel-dialog").showModal();
    byId("cancel-reason").focus();
  }
}
