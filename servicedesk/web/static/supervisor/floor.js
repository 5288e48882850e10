/* The supervisor's floor: counters, queues, alerts, waiting tickets, no-shows and officers' figures,
   live over the staff Socket.IO room. Alerts and figures are computed by the server
   (GET /api/v1/alerts, /api/v1/figures): they are re-read after events and every few seconds,
   since a wait crosses its threshold without any event happening. */

import { ServerClock } from "/static/common/clock.js";
import { byId as $, closeDialogsOnRequest, el, readJson } from "/static/common/dom.js";
import { clockText, timeOfDay, waitMinutes } from "/static/common/format.js";
import {
  Api, CancelDialog, Floor, connectFloor, errorText, minutesText, offerOtherServices, priorityBadge, say, shareText,
  showLive, timerState,
} from "/static/officer/staff.js";

const data = readJson("floor-data");
const strings = data.strings;
const clock = new ServerClock(data.server_now);
const api = new Api(data.urls.api, data.urls.login);
const floor = new Floor();
const services = new Map(data.services.map((s) => [s.id, s]));
let noShows = [];
let moving = null;

const minutes = (value) => minutesText(value, strings);

// --- counters ---

function counterTicket(counter) {
  return counter.current_ticket_id ? floor.tickets.get(counter.current_ticket_id) || null : null;
}

function renderCounterCards() {
  const box = $("counters");
  box.replaceChildren();
  const counters = [...floor.counters.values()].sort((a, b) => a.number - b.number);
  counters.forEach((counter) => {
    const ticket = counterTicket(counter);
    const timer = el("div", { className: "counter__timer" });
    if (ticket) timer.dataset.ticketId = ticket.id;
    let close = null;
    if (counter.status !== "closed") {
      close = el("button", { type: "button", className: "btn btn--small btn--danger-quiet", text: strings.close });
      close.addEventListener("click", () => closeCounter(counter));
    }
    box.append(el("article", { className: `counter counter--${counter.status}`, "data-counter": counter.number }, [
      el("header", { className: "counter__head" }, [
        el("strong", { text: counter.name }),
        el("span", { className: `badge badge--${counter.status}`, text: strings.status[counter.status] || counter.status }),
      ]),
      el("div", { className: "counter__officer", text: counter.officer_name || strings.no_officer }),
      el("div", { className: "counter__ticket" }, [
        el("span", { className: "counter__number", text: ticket ? ticket.number : "—" }),
        ticket ? priorityBadge(ticket, strings) : null,
        ticket ? el("span", { className: `badge badge--${ticket.status}`, text: strings[ticket.status] }) : null,
      ]),
      timer,
      el("footer", { className: "counter__foot" }, [
        el("span", { className: "muted", text: counter.service_ids.map((id) => (services.get(id) || {}).code).join(" · ") }),
        close,
      ]),
    ]));
  });
  tickTimers();
}

function tickTimers() {
  document.querySelectorAll(".counter__timer[data-ticket-id]").forEach((node) => {
    const ticket = floor.tickets.get(Number(node.dataset.ticketId));
    if (!ticket) return;
    if (ticket.status === "serving") {
      const elapsed = clock.minutesSince(ticket.serving_since); // time on hold left out
      const service = services.get(ticket.service.id);
      const limit = service ? service.alert_service_minutes : ticket.standard_minutes;
      node.className = `counter__timer timer--${timerState(elapsed, limit, data.amber_share)}`;
      node.textContent = `${clockText(elapsed)} / ${ticket.standard_minutes} ${strings.min}`;
    } else {
      node.className = "counter__timer timer--called";
      node.textContent = `${strings.called} ${clockText(clock.minutesSince(ticket.called_at))}`;
    }
  });
  document.querySelectorAll("[data-since]").forEach((cell) => {
    cell.textContent = minutes(clock.minutesSince(cell.dataset.since));
  });
  $("clock").textContent = timeOfDay(new Date(clock.now()).toISOString(), data.time_zone);
}

function closeCounter(counter) {
  if (!window.confirm(strings.confirm_close.replace("%(counter)s", counter.name))) return;
  api.post(`/counters/${counter.id}/close`).then((result) => {
    if (result.ok) {
      floor.counters.set(result.body.id, result.body);
      say(`${counter.name} ${strings.closed_counter}`, "ok");
      renderCounterCards();
    } else say(`${counter.name}: ${errorText(result, strings)}`, "bad");
  });
}

// --- queues and waiting tickets ---

function renderQueueTable() {
  const body = $("queues").querySelector("tbody");
  body.replaceChildren();
  data.services.forEach((service) => {
    const line = floor.queues.get(service.id);
    if (!line) return;
    const estimate = waitMinutes(line.waiting, line.minutes_per_person);
    const longest = line.longest_wait_since ? clock.minutesSince(line.longest_wait_since) : 0;
    const longCell = el("td", { className: `num${line.waiting && longest > service.alert_wait_minutes ? " is-bad" : ""}` });
    if (line.longest_wait_since) {
      longCell.dataset.since = line.longest_wait_since;
      longCell.textContent = minutes(longest);
    } else longCell.textContent = "—";
    body.append(el("tr", { "data-service": service.code }, [
      el("td", {}, [el("strong", { text: service.code }), ` ${service.name}`]),
      el("td", { className: "num queues__waiting", text: String(line.waiting) }),
      longCell,
      el("td", { className: "num", text: line.waiting ? `± ${minutes(Math.max(estimate, 0))}` : "—" }),
      el("td", { className: `num${line.waiting && !line.counters_open ? " is-bad" : ""}`, text: String(line.counters_open) }),
      el("td", { className: "num muted", text: `${service.standard_minutes} ${strings.min}` }),
    ]));
  });
}

function renderWaitingTable() {
  const waiting = floor.list((t) => t.status === "waiting").sort(Floor.byCallOrder);
  const body = $("waiting").querySelector("tbody");
  body.replaceChildren();
  waiting.forEach((t) => {
    const move = el("button", { type: "button", className: "btn btn--small", "data-move": t.number, text: strings.move });
    move.addEventListener("click", () => openMove(t));
    const cancel = el("button", { type: "button", className: "btn btn--small btn--danger-quiet", "data-cancel": t.number, text: strings.cancel });
    cancel.addEventListener("click", () => cancelDialog.open(t));
    const service = services.get(t.service.id);
    const late = service && clock.minutesSince(t.queued_at) > service.alert_wait_minutes;
    body.append(el("tr", { "data-ticket-id": t.id, className: late ? "is-late" : "" }, [
      el("td", { className: "list__number" }, [t.number, priorityBadge(t, strings)]),
      el("td", { text: `${t.service.code} · ${t.service.name}` }),
      el("td", { className: "num list__minutes", "data-since": t.queued_at, text: minutes(clock.minutesSince(t.queued_at)) }),
      el("td", { className: "num" }, [move, " ", cancel]),
    ]));
  });
  $("waiting-total").textContent = waiting.length;
  $("waiting-empty").hidden = waiting.length > 0;
  $("waiting").hidden = waiting.length === 0;
}

function openMove(ticket) {
  moving = ticket;
  $("move-number").textContent = ticket.number;
  const select = $("move-service");
  offerOtherServices(select, ticket.service.id);
  $("move-note").value = "";
  $("move-dialog").showModal();
  select.focus();
}

$("move-form").addEventListener("submit", (event) => {
  event.preventDefault();
  $("move-dialog").close();
  if (!moving) return;
  const ticket = moving;
  const body = { to_service_id: Number($("move-service").value) };
  const note = $("move-note").value.trim();
  if (note) body.note = note;
  api.post(`/tickets/${ticket.id}/transfer`, body).then((result) => {
    if (result.ok) {
      floor.putTicket(result.body);
      say(`${ticket.number} ${strings.moved} ${result.body.service.code} · ${result.body.service.name}`, "ok");
      renderBoard();
    } else say(`${ticket.number}: ${errorText(result, strings)}`, "bad");
  });
});

const cancelDialog = new CancelDialog(api, (t, result) => {
  if (result.ok) {
    floor.putTicket(result.body);
    say(`${t.number} · ${strings.cancelled}`, "ok");
    renderBoard();
  } else say(`${t.number}: ${errorText(result, strings)}`, "bad");
});

closeDialogsOnRequest();

// --- no-shows, alerts and figures (read from the server) ---

function renderNoShows() {
  const list = $("noshows");
  list.replaceChildren();
  if (!noShows.length) list.append(el("li", { className: "muted", text: strings.no_no_shows }));
  noShows.forEach((t) => {
    const reopen = el("button", { type: "button", className: "btn btn--small", text: strings.reopen });
    reopen.addEventListener("click", () => {
      api.post(`/tickets/${t.id}/reopen`).then((result) => {
        if (result.ok) {
          floor.putTicket(result.body);
          say(`${t.number} ${strings.reopened}`, "ok");
          loadNoShows();
          renderBoard();
        } else say(`${t.number}: ${errorText(result, strings)}`, "bad");
      });
    });
    list.append(el("li", { "data-ticket-id": t.id }, [
      el("strong", { text: t.number }),
      el("span", { text: `${t.service.code} · ${t.counter ? t.counter.name : ""} · ${timeOfDay(t.called_at, data.time_zone)}` }),
      reopen,
    ]));
  });
}

function loadNoShows() {
  api.get("/no-shows").then((result) => {
    if (result.ok) {
      noShows = result.body;
      renderNoShows();
    }
  });
}

function renderAlerts(alerts) {
  const list = $("alerts-list");
  list.replaceChildren();
  $("alerts-count").textContent = alerts.length;
  $("alerts-count").hidden = alerts.length === 0;
  document.querySelector(".alerts").classList.toggle("alerts--on", alerts.length > 0);
  if (!alerts.length) list.append(el("li", { className: "alerts__none", text: strings.no_alerts }));
  alerts.forEach((a) => {
    const what = a.kind === "waiting" ? strings.alert_waiting : strings.alert_serving;
    list.append(el("li", { className: `alert alert--${a.kind}`, "data-ticket-id": a.ticket_id, "data-kind": a.kind }, [
      el("strong", { className: "alert__number", text: a.number }),
      el("span", {
        text: ` ${a.service.code} · ${what} ${minutes(a.minutes)} (${strings.threshold} ${a.threshold_minutes} ${strings.min})` +
          (a.counter ? ` · ${a.counter.name}` : ""),
      }),
    ]));
  });
}

function loadAlerts() {
  api.get("/alerts").then((result) => {
    if (result.ok) renderAlerts(result.body);
  });
}

function renderFigures(rows) {
  const body = $("figures").querySelector("tbody");
  body.replaceChildren();
  rows.forEach((f) => {
    body.append(el("tr", { "data-officer-id": f.officer_id, title: f.full_name }, [
      el("td", { text: f.full_name }),
      el("td", { className: "num", text: String(f.served) }),
      el("td", { className: "num", text: f.mean_service_minutes === null ? "—" : `${f.mean_service_minutes} ${strings.min}` }),
      el("td", { className: "num", text: shareText(f.within_standard_share) }),
      el("td", { className: "num", text: String(f.no_shows) }),
    ]));
  });
}

function loadFigures() {
  api.get("/figures").then((result) => {
    if (result.ok) renderFigures(result.body);
  });
}

let pending = null;
function refreshSoon(withNoShows) {
  if (withNoShows) loadNoShows();
  window.clearTimeout(pending);
  pending = window.setTimeout(() => {
    loadAlerts();
    loadFigures();
  }, 400);
}

function renderBoard() {
  renderCounterCards();
  renderQueueTable();
  renderWaitingTable();
}

// --- displays whose browser forbids sound: a TV nobody hears ---
let mutedDisplays = new Map();

function loadMuted(list) {
  mutedDisplays = new Map((list || []).map((d) => [d.key, d]));
  renderMuted();
}

function renderMuted() {
  const list = $("muted-displays");
  list.replaceChildren();
  $("muted-count").textContent = mutedDisplays.size;
  $("muted-count").hidden = mutedDisplays.size === 0;
  if (!mutedDisplays.size) list.append(el("li", { className: "muted", text: strings.no_muted }));
  mutedDisplays.forEach((d) => {
    list.append(el("li", { "data-display": d.key }, [
      el("strong", { text: d.name || strings.unregistered_display }),
      el("span", { className: "muted", text: `${d.area ? ` · ${d.area}` : ""} · ${timeOfDay(d.at, data.time_zone)}` }),
    ]));
  });
}

const socket = connectFloor(floor, (name, payload) => {
  if (name === "snapshot") loadMuted(payload.muted_displays);
  renderBoard();
  if (name.startsWith("ticket.") || name === "snapshot") {
    refreshSoon(name === "snapshot" || name === "ticket.no_show" || name === "ticket.requeued" || name === "ticket.cancelled");
  }
}, (connected) => showLive(connected, strings));

socket.on("display.sound", (d) => {
  if (d.muted) mutedDisplays.set(d.key, d);
  else mutedDisplays.delete(d.key);
  renderMuted();
});

floor.load(data.snapshot);
loadMuted(data.snapshot.muted_displays);
renderBoard();
loadAlerts();
loadFigures();
loadNoShows();
window.setInterval(tickTimers, 1000);
window.setInterval(loadAlerts, 15000);
window.setInterval(loadFigures, 60000);
