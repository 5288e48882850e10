/* The officer console: the current ticket with its timer, the actions and their shortcuts, the
   live waiting list, the SOP of the service being given and today's own figures. Every action goes
   through the JSON API, which decides what is allowed; this page only reflects the answer. */

import { ServerClock, minutesBetween } from "/static/common/clock.js";
import { byId as $, closeDialogsOnRequest, el, readJson } from "/static/common/dom.js";
import { clockText, number, timeOfDay } from "/static/common/format.js";
import {
  Api, CancelDialog, Floor, connectFloor, errorText, minutesText, offerOtherServices, onShortcut, priorityBadge,
  say, shareText, showLive, timerState,
} from "./staff.js";

const data = readJson("console-data");
const strings = data.strings;
const clock = new ServerClock(data.server_now);
const api = new Api(data.urls.api, data.urls.login);
const floor = new Floor();
const services = new Map(data.services.map((s) => [s.id, s]));
const counterServices = data.counter_service_ids;
const competences = data.competences;
let counter = data.counter;
let busy = false;

const buttons = {};
document.querySelectorAll("[data-action]").forEach((b) => {
  buttons[b.dataset.action] = b;
});

function serviceLabel(id) {
  const s = services.get(id);
  return s ? `${s.code} · ${s.name}` : "?";
}

// --- what is at this counter ---

function currentTicket() {
  return floor.list((t) => t.counter && t.counter.id === counter.id && (t.status === "called" || t.status === "serving"))[0] || null;
}

function heldHere() {
  return floor.list((t) => t.status === "held" && t.counter && t.counter.id === counter.id).sort((a, b) => a.id - b.id);
}

function waitingHere() {
  return floor.list((t) => t.status === "waiting" && counterServices.includes(t.service.id)).sort(Floor.byCallOrder);
}

// --- rendering ---

function renderCurrent() {
  const ticket = currentTicket();
  const box = $("current");
  box.replaceChildren();
  if (!ticket) {
    box.append(el("p", { className: "current__none", text: strings.none }));
  } else {
    const waited = minutesBetween(ticket.queued_at, ticket.called_at);
    box.append(el("div", { className: "current__number", id: "current-number", text: ticket.number }));
    box.append(el("div", { className: "current__service", text: serviceLabel(ticket.service.id) }));
    box.append(el("div", { className: "current__facts" }, [
      el("span", { className: `badge badge--${ticket.status}`, id: "current-status", text: strings[ticket.status] || ticket.status }),
      ticket.priority ? el("span", { className: "badge badge--priority", text: strings.priority }) : null,
      el("span", { className: "muted", text: `${strings.waited} ${minutesText(waited, strings)}` }),
      ticket.recall_count ? el("span", { className: "muted", text: `↻ ${ticket.recall_count}/${data.max_recalls}` }) : null,
    ]));
    if (ticket.booking) {
      // Not transferable: the officer compares the name and the NIK's last 4 with the identity card.
      const nik = ticket.booking.nik_last4 ? ` · NIK ************${ticket.booking.nik_last4}` : "";
      box.append(el("p", { className: "current__booking", id: "current-booking" }, [
        el("strong", { text: `${strings.booked_for} (${ticket.booking.code}): ` }), `${ticket.booking.name || ""}${nik}`,
      ]));
    }
    if (ticket.transfer_note) {
      box.append(el("p", { className: "current__note" }, [
        el("strong", { text: `${strings.transfer_note}: ` }), ticket.transfer_note,
      ]));
    }
  }
  renderSop(ticket);
  renderTimer();
  renderButtons();
}

function renderTimer() {
  const ticket = currentTicket();
  const timer = $("timer");
  if (!ticket) {
    timer.className = "timer timer--idle";
    $("timer-value").textContent = "--:--";
    $("timer-label").textContent = "";
    return;
  }
  const standard = ticket.standard_minutes;
  if (ticket.status === "called") {
    timer.className = "timer timer--called";
    $("timer-value").textContent = clockText(clock.minutesSince(ticket.called_at));
    $("timer-label").textContent = strings.called;
    return;
  }
  // serving_since, not started_at: a visit resumed after a hold shows only the time served.
  const elapsed = clock.minutesSince(ticket.serving_since);
  const state = timerState(elapsed, standard, data.amber_share);
  timer.className = `timer timer--${state}`;
  timer.dataset.state = state;
  $("timer-value").textContent = clockText(elapsed);
  $("timer-label").textContent = `${strings.serving} · ${strings.standard} ${standard} ${strings.min}`;
}

function renderSop(ticket) {
  let shown = false;
  document.querySelectorAll(".sop__panel").forEach((panel) => {
    const match = Boolean(ticket) && Number(panel.dataset.serviceId) === ticket.service.id;
    panel.hidden = !match;
    shown = shown || match;
  });
  $("sop-none").hidden = shown;
}

function renderMyLine() {
  const waiting = waitingHere();
  const body = $("waiting-list").querySelector("tbody");
  body.replaceChildren();
  waiting.forEach((t) => {
    const mine = competences.includes(t.service.id);
    body.append(el("tr", { className: mine ? "" : "list__row--off", "data-ticket-id": t.id }, [
      el("td", { className: "list__number" }, [el("span", { "data-number": t.number, text: t.number }), priorityBadge(t, strings)]),
      el("td", { text: `${t.service.code} · ${t.service.name}${mine ? "" : ` (${strings.not_competent})`}` }),
      el("td", { className: "list__minutes", "data-since": t.queued_at, text: minutesText(clock.minutesSince(t.queued_at), strings) }),
    ]));
  });
  $("waiting-empty").hidden = waiting.length > 0;
  $("waiting-list").hidden = waiting.length === 0;
  $("waiting-total").textContent = waiting.length;
  document.querySelectorAll("#waiting-counts [data-service-id]").forEach((item) => {
    const id = Number(item.dataset.serviceId);
    item.querySelector(".counts__n").textContent = waiting.filter((t) => t.service.id === id).length;
  });
  renderHeld();
  renderButtons();
}

function renderHeld() {
  const list = $("held-list");
  list.replaceChildren();
  const held = heldHere();
  if (!held.length) list.append(el("li", { className: "muted", text: strings.no_held }));
  held.forEach((t) => {
    const resume = el("button", { type: "button", className: "btn btn--small", text: strings.resume });
    resume.addEventListener("click", () => act("resume", t));
    list.append(el("li", {}, [el("strong", { text: t.number }), ` ${serviceLabel(t.service.id)} `, resume]));
  });
}

function renderCounter() {
  $("counter-status").textContent = strings.status[counter.status] || counter.status;
  $("counter-status").className = `badge badge--${counter.status}`;
  const onBreak = counter.status === "break";
  $("break-banner").hidden = !onBreak;
  buttons.break.hidden = onBreak;
  $("back-form").hidden = !onBreak;
  renderButtons();
}

function renderButtons() {
  const ticket = currentTicket();
  const open = counter.status === "open";
  const status = ticket ? ticket.status : null;
  const held = heldHere();
  const enabled = {
    "call-next": open && !ticket,
    recall: status === "called",
    start: status === "called",
    finish: status === "serving",
    "no-show": status === "called",
    transfer: status === "called" || status === "serving",
    hold: status === "called" || status === "serving" || (open && !ticket && held.length > 0),
    cancel: status === "called" || (!ticket && held.length > 0),
    "call-specific": open && !ticket && waitingHere().some((t) => competences.includes(t.service.id)),
  };
  for (const [action, on] of Object.entries(enabled)) buttons[action].disabled = busy || !on;
  $("hold-label").textContent = ticket || !held.length ? buttons.hold.dataset.holdText : strings.resume;
}
buttons.hold.dataset.holdText = $("hold-label").textContent;

function refreshFigures() {
  api.get("/figures/me").then((result) => {
    if (!result.ok) return;
    const f = result.body;
    const put = (name, text) => {
      document.querySelector(`[data-figure="${name}"]`).textContent = text;
    };
    put("served", number(f.served));
    put("no_shows", number(f.no_shows));
    put("mean_service_minutes", f.mean_service_minutes === null ? "—" : `${number(f.mean_service_minutes)} ${strings.min}`);
    put("within_standard_share", shareText(f.within_standard_share));
  });
}

// --- actions ---

function run(promise, after) {
  busy = true;
  renderButtons();
  return promise.then((result) => {
    busy = false;
    if (result.ok) {
      say("");
      if (result.body && result.body.number) floor.putTicket(result.body);
      if (after) after(result.body);
    } else {
      say(errorText(result, strings), "bad");
    }
    renderCurrent();
    renderMyLine();
    return result;
  });
}

function act(action, ticket, body) {
  const path = action === "call-next" ? `/counters/${counter.id}/call-next` : `/tickets/${ticket.id}/${action}`;
  let after = null;
  if (action === "finish" || action === "no-show" || action === "transfer") {
    after = (t) => {
      say(`${t.number} · ${action === "finish" ? strings.done : strings[t.status] || t.status}`, "ok");
      refreshFigures();
    };
  }
  if (action === "resume") body = { counter_id: counter.id };
  return run(api.post(path, body), after);
}

const handlers = {
  "call-next": () => act("call-next"),
  recall: (t) => act("recall", t),
  start: (t) => act("start", t),
  finish: (t) => act("finish", t),
  "no-show": (t) => act("no-show", t),
  transfer: () => openTransfer(),
  hold: (t) => {
    if (t) act("hold", t);
    else if (heldHere().length) act("resume", heldHere()[0]);
  },
  "call-specific": () => openCall(),
  cancel: (t) => {
    const target = t || heldHere()[0];
    if (target) cancelDialog.open(target);
  },
  break: () => {
    run(api.post(`/counters/${counter.id}/break`), (c) => {
      counter = c;
      renderCounter();
    });
  },
  close: () => {
    if (!window.confirm(strings.confirm_close)) return;
    run(api.post(`/counters/${counter.id}/close`), () => window.location.assign(data.urls.home));
  },
};

for (const [action, handler] of Object.entries(handlers)) {
  if (!buttons[action]) continue;
  buttons[action].addEventListener("click", () => {
    if (buttons[action].disabled) return;
    handler(currentTicket());
  });
}

onShortcut((key) => {
  if (key === "b") {
    if (counter.status === "break") $("back-form").requestSubmit();
    else buttons.break.click();
    return true;
  }
  const button = document.querySelector(`[data-key="${key}"]`);
  if (!button) return false;
  if (!button.disabled) button.click();
  return true;
});

// --- today's no-shows: a late visitor goes back in line (the server applies the office's rule) ---

let noShows = [];

function loadLateVisitors() {
  api.get("/no-shows").then((result) => {
    if (!result.ok) return;
    noShows = result.body.filter((t) => counterServices.includes(t.service.id) && competences.includes(t.service.id));
    renderLateVisitors();
  });
}

function renderLateVisitors() {
  const list = $("noshow-list");
  list.replaceChildren();
  if (!noShows.length) list.append(el("li", { className: "muted", text: strings.no_no_shows }));
  noShows.forEach((t) => {
    const back = el("button", { type: "button", className: "btn btn--small", "data-late": t.number, text: strings.late_back });
    back.addEventListener("click", () => {
      run(api.post(`/tickets/${t.id}/requeue`), () => {
        say(`${t.number} ${strings.back_in_line}`, "ok");
        loadLateVisitors();
      });
    });
    list.append(el("li", { "data-ticket-id": t.id }, [
      el("strong", { text: t.number }),
      ` ${serviceLabel(t.service.id)} · ${timeOfDay(t.called_at, data.time_zone)} `,
      back,
    ]));
  });
}

// --- dialogs ---

const cancelDialog = new CancelDialog(api, (t, result) => {
  if (result.ok) {
    floor.putTicket(result.body);
    say(`${t.number} · ${strings.cancelled}`, "ok");
  } else say(`${t.number}: ${errorText(result, strings)}`, "bad");
  renderCurrent();
  renderMyLine();
});

function openTransfer() {
  const ticket = currentTicket();
  if (!ticket) return;
  const select = $("transfer-service");
  offerOtherServices(select, ticket.service.id);
  $("transfer-note").value = "";
  $("transfer-dialog").showModal();
  select.focus();
}

$("transfer-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const ticket = currentTicket();
  $("transfer-dialog").close();
  if (!ticket) return;
  const body = { to_service_id: Number($("transfer-service").value) };
  const note = $("transfer-note").value.trim();
  if (note) body.note = note;
  act("transfer", ticket, body);
});

function openCall() {
  const select = $("call-ticket");
  select.replaceChildren();
  waitingHere()
    .filter((t) => competences.includes(t.service.id))
    .forEach((t) => {
      const waited = minutesText(clock.minutesSince(t.queued_at), strings);
      select.append(el("option", { value: t.id, text: `${t.number} · ${t.service.name} · ${waited}` }));
    });
  if (!select.options.length) {
    say(strings.choose_ticket, "bad");
    return;
  }
  $("call-reason").value = "";
  $("call-dialog").showModal();
  select.focus();
}

$("call-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const reason = $("call-reason").value.trim();
  if (!reason) {
    $("call-reason").focus();
    return;
  }
  $("call-dialog").close();
  run(api.post(`/counters/${counter.id}/call`, { ticket_id: Number($("call-ticket").value), reason }));
});

closeDialogsOnRequest();

// --- live ---

connectFloor(floor, (name) => {
  if (name === "snapshot" || name === "ticket.no_show" || name === "ticket.requeued" || name === "ticket.cancelled") loadLateVisitors();
  if (name === "counter.changed" || name === "snapshot") {
    const mine = floor.counters.get(counter.id);
    if (mine) {
      if (mine.officer_id !== data.user.id || mine.status === "closed") {
        say(strings.closed, "bad");
        window.setTimeout(() => window.location.assign(data.urls.home), 1500);
      }
      counter = mine;
      renderCounter();
    }
  }
  renderCurrent();
  renderMyLine();
}, (connected) => showLive(connected, strings));

window.setInterval(() => {
  renderTimer();
  document.querySelectorAll("#waiting-list [data-since]").forEach((cell) => {
    cell.textContent = minutesText(clock.minutesSince(cell.dataset.since), strings);
  });
}, 1000);

floor.load(data.snapshot);
loadLateVisitors();
renderCounter();
renderCurrent();
renderMyLine();
