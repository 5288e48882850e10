/* The visitor's phone page: one ticket, live. Socket.IO first (snapshot, then ticket.updated and
   queue.changed); when the socket is down, GET /api/v1/tickets/<token> every few seconds. */

import { byId as $, readJson } from "/static/common/dom.js";
import { fill, serviceName, waitMinutes } from "/static/common/format.js";
import { openLive } from "/static/common/live.js";
import { errorOf, getJson, requestJson } from "/static/common/net.js";
import { nextJourneyToken, refreshJourney, renderJourney } from "/static/visitor/journey.js";

const config = readJson("visitor-config");
const S = config.strings;
let ticket = config.ticket;
let countersOpen = null; // counters open for the ticket's service, once a queue line told it
let answered = config.survey.answered;
let expired = config.survey.expired;
let dismissedCall = null; // "<called_at>/<recall_count>" the visitor has acknowledged
let pollTimer = null;
let socket = null;
let chime = null;

const callKey = (t) => `${t.called_at || ""}/${t.recall_count}`;

// --- drawing the ticket ---

function renderTicket() {
  document.body.className = `visitor status-${ticket.status}`;
  $("number").textContent = ticket.number;
  $("service").textContent = serviceName(ticket.service);
  let text = S.status[ticket.status] || ticket.status;
  if ((ticket.status === "called" || ticket.status === "serving") && ticket.counter) {
    text = ticket.status === "called"
      ? fill(S.go_to_counter, { number: ticket.counter.number })
      : `${text} ${fill(S.at_counter, { number: ticket.counter.number })}`;
  }
  $("status-text").textContent = text;
  const waiting = ticket.status === "waiting";
  $("waiting-facts").hidden = !waiting;
  if (waiting) {
    $("ahead").textContent = ticket.people_ahead > 0 ? fill(S.people, { count: ticket.people_ahead }) : S.you_are_next;
    $("estimate").textContent = countersOpen === 0 ? S.no_counter_open
      : ticket.people_ahead > 0 ? `± ${fill(S.minutes, { minutes: ticket.estimated_wait_minutes })}`
      : "–";
  }
  $("cancel-box").hidden = !waiting;
  $("sound-box").hidden = !(waiting || ticket.status === "called");
  $("survey").hidden = !(ticket.status === "done" && !answered && !expired);
  $("survey-expired").hidden = !(ticket.status === "done" && !answered && expired);
  $("thanks").hidden = !(ticket.status === "done" && answered);
  renderCall();
}

function renderCall() {
  const overlay = $("called");
  if (ticket.status !== "called" || !ticket.counter || dismissedCall === callKey(ticket)) {
    overlay.hidden = true;
    return;
  }
  $("called-number").textContent = ticket.number;
  $("called-go").textContent = fill(S.go_to_counter, { number: ticket.counter.number });
  $("called-recall").hidden = !(ticket.recall_count > 0);
  overlay.hidden = false;
}

function setLive(mode) {
  $("live").className = `v-live ${mode}`;
  $("live-text").textContent = mode === "live" ? S.live : mode === "polling" ? S.polling : S.offline;
}

// --- the alert when called: full screen, chime, vibration ---

function alertVisitor() {
  if (!chime) chime = new Audio(config.urls.chime);
  try {
    chime.currentTime = 0;
    const played = chime.play();
    if (played && played.catch) played.catch(() => {});
  } catch (error) {
    // no sound on this phone: the screen still says it
  }
  if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]);
}

// --- applying news about the ticket ---

function update(next) {
  const previous = ticket;
  ticket = next;
  const newCall = next.status === "called" && (
    previous.status !== "called" || next.recall_count > previous.recall_count || next.called_at !== previous.called_at
  );
  if (previous.status === "waiting" && next.status === "waiting" && previous.service.id !== next.service.id) {
    showNote(S.transferred);
  }
  if (previous.service.id !== next.service.id && socket) {
    // The rooms follow the service: reconnect for the new queue's events and a fresh snapshot.
    socket.disconnect();
    socket.connect();
  }
  if (newCall) {
    dismissedCall = null;
    alertVisitor();
  }
  renderTicket();
  // A journey's step changed: its list again, and once finished, the next step's page.
  if (config.journey && (previous.status !== next.status || next.status === "done")) refreshJourney(config, next.status);
}

function applyLine(line) {
  if (!line || line.service_id !== ticket.service.id) return;
  countersOpen = line.counters_open; // none open: the estimate says so instead of a number
  if (ticket.status !== "waiting") return;
  const place = line.waiting_numbers.indexOf(ticket.number);
  if (place < 0) return; // our own ticket.updated is on its way
  ticket.people_ahead = place;
  ticket.estimated_wait_minutes = waitMinutes(place, line.minutes_per_person);
  renderTicket();
}

function showNote(text) {
  $("note").textContent = text;
  $("note").hidden = false;
}

// --- polling, only while the socket is down ---

async function poll() {
  const data = await getJson(config.urls.ticket);
  if (!data) {
    setLive("offline");
    return;
  }
  if (!socket || !socket.connected) setLive("polling");
  update(data);
}

function startPolling() {
  if (pollTimer) return;
  poll();
  pollTimer = setInterval(poll, config.poll_seconds * 1000);
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = null;
}

// --- the visitor's own actions: sound on, cancel, survey ---

$("sound").addEventListener("click", () => {
  alertVisitor(); // a tap unlocks sound on phones that refuse to play without one
});

$("called-ok").addEventListener("click", () => {
  dismissedCall = callKey(ticket);
  renderCall();
});

$("cancel").addEventListener("click", () => {
  $("cancel-confirm").hidden = false;
  $("cancel").hidden = true;
});
$("cancel-no").addEventListener("click", () => {
  $("cancel-confirm").hidden = true;
  $("cancel").hidden = false;
});
$("cancel-yes").addEventListener("click", async () => {
  $("cancel-yes").disabled = true;
  const result = await requestJson(config.urls.withdraw, { method: "POST", body: {} });
  $("cancel-yes").disabled = false;
  $("cancel-confirm").hidden = true;
  $("cancel").hidden = false;
  if (result.ok) {
    update(result.body);
    return;
  }
  $("cancel-error").textContent = S.cancel_failed;
  $("cancel-error").hidden = false;
  if (result.status) poll();
});

$("survey-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const answers = {};
  const missing = [];
  document.querySelectorAll(".v-question").forEach((fieldset) => {
    const chosen = fieldset.querySelector("input:checked");
    fieldset.classList.toggle("missing", !chosen);
    if (chosen) answers[fieldset.dataset.code] = parseInt(chosen.value, 10);
    else missing.push(fieldset);
  });
  const error = $("survey-error");
  if (missing.length) {
    error.textContent = S.survey_incomplete;
    error.hidden = false;
    missing[0].scrollIntoView({ behavior: "smooth", block: "center" });
    return;
  }
  error.hidden = true;
  $("survey-submit").disabled = true;
  const comment = $("comment").value.trim();
  const profile = {};
  document.querySelectorAll("[data-profile]").forEach((select) => {
    profile[select.dataset.profile] = select.value || null;
  });
  const complaint = $("is-complaint");
  const result = await requestJson(config.urls.survey, {
    method: "POST",
    body: { answers, comment: comment || null, profile, is_complaint: Boolean(complaint && complaint.checked && comment) },
  });
  $("survey-submit").disabled = false;
  const refusal = errorOf(result);
  if (result.status === 201 || refusal.code === "survey_already_answered") {
    answered = true;
    renderTicket();
    window.scrollTo(0, 0);
  } else if (refusal.code === "survey_expired") {
    expired = true;
    renderTicket();
  } else {
    error.textContent = (result.status && refusal.message) || S.survey_failed;
    error.hidden = false;
  }
});

document.querySelectorAll(".v-question input").forEach((input) => {
  input.addEventListener("change", () => input.closest(".v-question").classList.remove("missing"));
});

setLive("polling");
renderTicket();
if (config.journey) {
  renderJourney(config.journey, config.token, S.journey);
  if (nextJourneyToken(config.journey, config.token, ticket.status)) refreshJourney(config, ticket.status);
}
if (ticket.status === "called") alertVisitor();
socket = openLive({
  kind: "ticket",
  options: { auth: { ticket: config.token }, reconnectionDelayMax: 10000 },
  onSnapshot: (snapshot) => {
    update(snapshot.ticket);
    applyLine(snapshot.queue);
  },
  events: { "ticket.updated": update, "queue.changed": applyLine },
  onStatus: (connected) => {
    if (!connected) {
      startPolling();
      return;
    }
    stopPolling();
    setLive("live");
  },
});
