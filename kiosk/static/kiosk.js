/* The touch kiosk: choose a service, read its Standar Pelayanan, take a number, print the slip.
   Everything it shows comes from the JSON API; the sentences come translated from the server. */

import { clipPlayer } from "/static/common/audio.js";
import { ServerClock, runWallClock } from "/static/common/clock.js";
import { KIOSK_DEVICE, deviceHeaders, deviceToken, keepDeviceToken } from "/static/common/device.js";
import { byId as $, readJson, textNode } from "/static/common/dom.js";
import { fill, serviceName } from "/static/common/format.js";
import { errorOf, getJson, requestJson } from "/static/common/net.js";

const config = readJson("kiosk-config");
const S = config.strings;
const OFFLINE_RETRY_MS = 4000;

const state = {
  services: [],
  service: null,
  idempotencyKey: null,
  busy: false,
  online: true,
  screen: "start",
  lastTicket: null,
  retry: null,
  printer: null, // this kiosk's printing settings (GET /kiosk/device); null: print from the browser
  printerFailed: false,
  priorityGroup: null, // the key of the priority group chosen for this ticket, or null
  agency: null, // in a hall of several agencies (config.agencies): the one chosen, whose services are listed
  journey: [], // the services added before this one ("Add a next service"): one number, then each next in turn
};
const timers = { refresh: null, idle: null };

// The kiosk's device token: /kiosk?device=<token> once, then kept on this machine.
keepDeviceToken(KIOSK_DEVICE);

// --- small helpers ---

function newKey() {
  if (window.crypto.randomUUID) return `kiosk-${window.crypto.randomUUID()}`;
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  return `kiosk-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

// A catalogue text in the page's language: the English version when the office wrote one.
function serviceText(service, field) {
  const english = config.locale === "en" && service.en ? service.en[field] : null;
  const has = Array.isArray(english) ? english.length > 0 : Boolean(english);
  return has ? english : service[field];
}

function expectedWait(minutes) {
  return minutes > 0 ? fill(S.minutes, { minutes }) : S.no_wait;
}

function clockLabel(hhmm) {
  const text = config.locale === "id" ? String(hhmm).replace(":", ".") : String(hhmm);
  return config.zone_name ? `${text} ${config.zone_name}` : text;
}

function refusalText(code, details) {
  const template = config.refusals[code] || config.refusals.unknown;
  const values = {};
  for (const [key, value] of Object.entries(details || {})) values[key] = clockLabel(value);
  return fill(template, values);
}

// --- screens and the idle reset ---

function show(name) {
  const changed = state.screen !== name;
  state.screen = name;
  for (const screen of ["start", "detail", "busy", "ticket", "refusal"]) $(`screen-${screen}`).hidden = screen !== name;
  document.body.dataset.screen = name;
  armIdle();
  if (changed && name !== "busy" && name !== "ticket") guide(name);
}

// --- the accessible mode: high contrast, large text, and each step said aloud ---
// The voice is the display's: the same espeak-ng recordings (servicedesk/ops/announce.py), served at
// /display/clips/<name> and played back to back with Web Audio, so the kiosk speaks offline too.
// Every guidance played is recorded in window.__kioskSpoken (step, text, clip URLs, clips played).

const player = clipPlayer();
const voice = { token: 0, source: null };
window.__kioskSpoken = [];

function hush() {
  voice.token += 1; // a newer step interrupts the one still speaking
  if (voice.source) {
    try {
      voice.source.stop();
    } catch (error) {
      // already ended
    }
  }
  voice.source = null;
}

async function guide(step, number) {
  if (!document.body.classList.contains("accessible") || !player.audioContext()) return;
  hush();
  const token = voice.token;
  const query = `?language=${encodeURIComponent(config.locale)}${number ? `&number=${encodeURIComponent(number)}` : ""}`;
  const said = await getJson(config.urls.guidance.replace("__step__", step) + query);
  if (!said || token !== voice.token) return; // the screen still says everything; the voice is an aid
  const entry = { step, text: said.text, clips: said.clips.map((c) => c.url), played: 0 };
  window.__kioskSpoken.push(entry);
  const buffers = await Promise.all(said.clips.map((c) => player.load(c.url)));
  for (const buffer of buffers) {
    if (!buffer || token !== voice.token) continue;
    await player.play(buffer, (source) => {
      voice.source = source;
    });
    if (token === voice.token) entry.played += 1;
  }
  entry.finished = token === voice.token;
  document.body.dataset.spoken = String(window.__kioskSpoken.length);
}

function setAccessible(on) {
  document.documentElement.classList.toggle("accessible", on);
  document.body.classList.toggle("accessible", on);
  $("access-toggle").setAttribute("aria-pressed", on ? "true" : "false");
  if (on) {
    const context = player.audioContext();
    if (context) context.resume(); // a touch: the browser lets the voice start
    guide(state.screen === "ticket" ? "ticket" : state.screen,
      state.screen === "ticket" && state.lastTicket ? state.lastTicket.number : null);
  } else {
    hush();
  }
}

function armIdle() {
  clearTimeout(timers.idle);
  // The start screen waits for the next visitor, unless an agency was chosen there: the next starts over.
  if ((state.screen === "start" && !state.agency) || state.screen === "busy") return;
  const seconds = state.screen !== "ticket" ? config.idle_seconds
    : state.printerFailed ? config.printer_failed_seconds : config.ticket_seconds;
  timers.idle = setTimeout(() => backToStart(true), seconds * 1000);
}

function backToStart(nextVisitor) {
  if (nextVisitor === true) {
    setAccessible(false); // the next visitor starts in the standard mode
    state.journey = []; // with no services chosen
    renderJourneyBar();
    chooseAgency(null); // and, in a hall of agencies, with the agencies
  }
  state.service = null;
  $("group-picker").hidden = true;
  $("whatsapp-picker").hidden = true;
  $("ticket-whatsapp").hidden = true;
  state.idempotencyKey = null;
  state.retry = null;
  state.printerFailed = false;
  $("printer-failed").hidden = true;
  const differs = config.locale !== config.start_language;
  const tapped = config.language_chosen && differs;
  const another = config.language_chosen || config.agency_id !== null || differs;
  if (tapped || (nextVisitor === true && another)) {
    // The next visitor starts in the kiosk's own language: the last one's choice is forgotten.
    window.location.href = `${config.urls.kiosk}?lang=auto`;
    return;
  }
  $("print-frame").removeAttribute("src");
  show("start");
  loadServices();
  loadPrinter();
}

for (const kind of ["pointerdown", "keydown", "touchstart"]) document.addEventListener(kind, armIdle, { passive: true });

// --- connection state: a banner while the server is away, gone by itself when it is back ---

function setOnline(online) {
  state.online = online;
  const banner = $("banner");
  if (!online) {
    banner.textContent = config.refusals.offline;
    banner.className = "banner";
    banner.hidden = false;
  } else if (config.require_device_token && !deviceToken(KIOSK_DEVICE)) {
    banner.textContent = `${S.setup_needed}: ${config.refusals.device_token_required}`;
    banner.className = "banner setup";
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
}

// --- how this kiosk prints: from the browser, or by the server on its ESC/POS printer ---

async function loadPrinter() {
  const headers = deviceHeaders(KIOSK_DEVICE);
  if (!headers["X-Device-Token"]) {
    state.printer = null;
    return;
  }
  const result = await requestJson(config.urls.device, { headers });
  if (result.status) state.printer = result.ok ? result.body : null;
  // no answer: keep what was known; the issuing answer says what happened anyway
}

function escposTicket(ticket) {
  return Boolean(ticket.print_mode) && ticket.print_mode !== "browser";
}

// --- the start screen: the services, refreshed while the kiosk stands idle ---

async function loadServices() {
  clearTimeout(timers.refresh);
  const result = await requestJson(config.urls.services);
  if (!result.ok) {
    setOnline(false);
    timers.refresh = setTimeout(loadServices, OFFLINE_RETRY_MS);
    return;
  }
  const wasOffline = !state.online;
  setOnline(true);
  state.services = result.body;
  renderServices();
  if (wasOffline && state.screen === "refusal" && state.retry === null) backToStart();
  timers.refresh = setTimeout(loadServices, config.refresh_seconds * 1000);
}

// Refusals that hold for the whole office (domain/hours.py OFFICE_WIDE): said once, above the tiles.
const OFFICE_WIDE = ["holiday", "closed_today", "not_open_yet", "on_break", "closed_for_today"];

function officeWide(refusal) {
  return Boolean(refusal) && OFFICE_WIDE.includes(refusal.code);
}

// The wait a visitor may expect, or why there is no number to give: nobody waits, or no counter is open.
function waitText(service, peopleAhead) {
  if (service && service.counters_open === 0) return S.no_counter_open;
  return peopleAhead > 0 ? `± ${expectedWait(service ? service.estimated_wait_minutes : 0)}` : S.no_wait;
}

// --- a hall of several agencies (MPP): the agency first, then its services ---

function hall() {
  return config.agencies.length > 1;
}

function agencyServing(service) {
  return config.agencies.find((agency) => agency.id === service.agency_id) || null;
}

function shownServices() {
  if (!hall()) return state.services;
  return state.agency === null ? [] : state.services.filter((service) => service.agency_id === state.agency.id);
}

function brand(node, agency) {
  const colours = { "--brand": agency && agency.brand_colour, "--brand-text": agency && agency.brand_text,
    "--brand-ink": agency && agency.brand_ink };
  for (const [name, value] of Object.entries(colours)) {
    if (value) node.style.setProperty(name, value);
    else node.style.removeProperty(name);
  }
}

// An agency with a language of its own: the kiosk opens its services in that language (the page is
// drawn again by the server), unless the visitor tapped the language switch.
function pickAgency(agency) {
  if (agency.language && agency.language !== config.locale && !config.language_chosen) {
    window.location.href = `${config.urls.kiosk}?agency=${encodeURIComponent(agency.id)}`;
    return;
  }
  chooseAgency(agency);
}

function leaveAgency() {
  if (config.agency_id !== null) {
    window.location.href = config.urls.kiosk; // back to the hall's language (or the one the visitor tapped)
    return;
  }
  chooseAgency(null);
}

function chooseAgency(agency) {
  state.agency = agency;
  // A tap on the language switch keeps the agency chosen.
  for (const link of document.querySelectorAll("a.lang")) {
    const query = new URLSearchParams({ lang: link.dataset.lang });
    if (agency) query.set("agency", agency.id);
    link.href = `${config.urls.kiosk}?${query}`;
  }
  armIdle();
  // The agency's colour on its own screens (agencies.brand_colour), the building's again after; text on
  // it white or black, and as text on white darkened until it reads (domain/branding.py).
  brand(document.documentElement, agency);
  const head = $("agency-head");
  head.hidden = !agency;
  $("agency-chosen").textContent = agency ? agency.name : "";
  const prompt = $("start-prompt");
  prompt.textContent = hall() && !agency ? S.choose_agency
    : state.journey.length ? S.choose_next : prompt.dataset.services;
  renderServices();
}

// --- a journey: several services in sequence on one slip, each queue joined when the previous is done ---

function lastChosen() {
  return state.journey.length ? state.journey[state.journey.length - 1] : null;
}

function stepLabel(service) {
  const agency = hall() ? agencyServing(service) : null;
  return agency ? `${agency.short_name} · ${serviceName(service)}` : serviceName(service);
}

function renderJourneyBar() {
  $("journey-bar").hidden = state.journey.length === 0;
  $("journey-list").replaceChildren(...state.journey.map((service) => textNode("li", null, stepLabel(service))));
}

function showNextSteps(services) {
  // The journey's steps after this ticket's, on one line (the slip and the phone page list them in full).
  $("ticket-next").hidden = services.length === 0;
  $("screen-ticket").classList.toggle("with-next", services.length > 0);
  $("ticket-next-steps").textContent = services.map((service, i) => `${i + 2}. ${stepLabel(service)}`).join("  ·  ");
}

function addNextService() {
  if (!state.service || state.busy) return;
  state.journey.push(state.service);
  state.service = null;
  renderJourneyBar();
  show("start");
  chooseAgency(null); // the next service is often another agency's
}

function clearJourney() {
  state.journey = [];
  renderJourneyBar();
  chooseAgency(state.agency);
}

function renderAgencies(grid) {
  grid.classList.toggle("many", config.agencies.length > 6);
  config.agencies.forEach((agency) => {
    const button = textNode("button", "service agency");
    button.type = "button";
    button.setAttribute("role", "listitem");
    button.dataset.agency = agency.code;
    if (agency.brand_colour) brand(button, agency);
    const count = state.services.filter((service) => service.agency_id === agency.id).length;
    button.append(textNode("span", "code-badge", agency.short_name.slice(0, 2).toUpperCase()));
    button.append(textNode("span", "service-name", agency.name));
    button.append(textNode("span", "service-description", agency.short_name));
    button.append(textNode("span", "service-queue", fill(S.services_count, { count })));
    button.addEventListener("click", () => pickAgency(agency));
    grid.append(button);
  });
}

function renderNotice() {
  // The office is closed, on a holiday or in a break: said before anyone chooses, not after.
  const services = hall() && state.agency === null ? state.services : shownServices();
  const refused = services.filter((service) => service.refusal);
  const notice = $("start-notice");
  const shared = refused.length === services.length && refused.length > 0
    ? refused.find((service) => officeWide(service.refusal))
    : null;
  notice.hidden = !shared;
  notice.textContent = shared ? refusalText(shared.refusal.code, shared.refusal.details) : "";
  notice.dataset.code = shared ? shared.refusal.code : "";
}

function renderServices() {
  const grid = $("services");
  grid.textContent = "";
  renderNotice();
  if (hall() && state.agency === null) {
    $("services-empty").hidden = true;
    renderAgencies(grid);
    return;
  }
  const services = shownServices();
  grid.classList.toggle("many", services.length > 6);
  $("services-empty").hidden = services.length > 0;
  services.forEach((service) => {
    const button = textNode("button", "service");
    button.type = "button";
    button.setAttribute("role", "listitem");
    button.dataset.code = service.code;
    button.append(textNode("span", "code-badge", service.code));
    button.append(textNode("span", "service-name", serviceName(service)));
    button.append(textNode("span", "service-description", serviceText(service, "description")));
    const queue = textNode("span", "service-queue");
    queue.append(textNode("span", "count", `${service.waiting} ${S.waiting}`));
    queue.append(textNode("span", "wait", waitText(service, service.waiting)));
    button.append(queue);
    const last = lastChosen();
    if (last && last.id === service.id) {
      // Never the same service twice in a row in a journey.
      button.disabled = true;
      button.classList.add("refused");
      button.append(textNode("span", "service-refusal", S.chosen_before));
    } else if (service.refusal) {
      // No ticket now: the tile stays, greyed, with the reason in words.
      button.disabled = true;
      button.classList.add("refused");
      button.dataset.refusal = service.refusal.code;
      button.append(textNode("span", "service-refusal", officeWide(service.refusal)
        ? S.not_available_now : refusalText(service.refusal.code, service.refusal.details)));
    } else {
      button.addEventListener("click", () => openDetail(service));
    }
    grid.append(button);
  });
}

// --- a service's published Standar Pelayanan, then "take a number" ---

function component(title, body, wide) {
  const box = textNode("div", `component${wide ? " wide" : ""}`);
  box.append(textNode("h2", null, title));
  box.append(body);
  return box;
}

function bulleted(tag, items) {
  const node = textNode(tag);
  for (const item of items || []) node.append(textNode("li", null, item));
  return node;
}

function openDetail(service) {
  state.service = service;
  state.idempotencyKey = newKey(); // one key per "take a number": a second tap repeats, never duplicates
  $("detail-code").textContent = service.code;
  $("detail-name").textContent = serviceName(service);
  $("detail-description").textContent = serviceText(service, "description");
  const standard = $("detail-standard");
  standard.textContent = "";
  standard.append(component(S.requirements, bulleted("ul", serviceText(service, "requirements"))));
  standard.append(component(S.procedure, bulleted("ol", serviceText(service, "procedure"))));
  standard.append(component(S.standard_time, textNode("p", null, fill(S.minutes, { minutes: service.standard_minutes }))));
  standard.append(component(S.fee, textNode("p", null, serviceText(service, "fee"))));
  standard.append(component(S.product, textNode("p", null, serviceText(service, "product"))));
  const complaints = textNode("div");
  complaints.append(textNode("p", null, serviceText(service, "complaint_channel")));
  if (service.sop && service.sop.number) {
    complaints.append(textNode("p", "sop-line", `${S.sop}: ${service.sop.number}${service.unit ? ` · ${service.unit}` : ""}`));
  }
  standard.append(component(S.complaints, complaints));
  choosePriorityGroup(null);
  $("priority-choice").hidden = !service.priority_allowed;
  $("take").disabled = false;
  $("add-next").hidden = state.journey.length + 1 >= config.journey_max_steps;
  show("detail");
}

// --- the priority group (kelompok rentan): the visitor says which, the ticket keeps it ---

const priorityHint = $("priority-chosen").textContent;

function choosePriorityGroup(key) {
  state.priorityGroup = key;
  const group = config.priority_groups.find((g) => g.key === key);
  $("priority-chosen").textContent = group ? group.label : priorityHint;
  $("priority-choice").classList.toggle("chosen", Boolean(group));
  $("priority-choice").setAttribute("aria-pressed", group ? "true" : "false");
  $("group-picker").hidden = true;
}

function openGroupPicker() {
  const groups = $("group-list");
  groups.textContent = "";
  config.priority_groups.forEach((group) => {
    const button = textNode("button", `group-option${group.key === state.priorityGroup ? " chosen" : ""}`, group.label);
    button.type = "button";
    button.dataset.key = group.key;
    button.addEventListener("click", () => choosePriorityGroup(group.key));
    groups.append(button);
  });
  $("group-picker").hidden = false;
  guide("priority");
}

async function take() {
  if (state.busy || !state.service) return;
  state.busy = true;
  $("take").disabled = true;
  show("busy");
  const journey = state.journey.length > 0;
  const priority = { priority: Boolean(state.priorityGroup), priority_group: state.priorityGroup };
  const result = await requestJson(journey ? config.urls.journeys : config.urls.tickets, {
    method: "POST",
    headers: { "Idempotency-Key": state.idempotencyKey, ...deviceHeaders(KIOSK_DEVICE) },
    body: journey
      ? { service_ids: [...state.journey.map((service) => service.id), state.service.id], ...priority }
      : { service_id: state.service.id, ...priority },
  });
  state.busy = false;
  if (result.status === 201) {
    setOnline(true);
    const next = journey ? [...state.journey.slice(1), state.service] : [];
    state.journey = [];
    renderJourneyBar();
    showTicket(journey ? result.body.ticket : result.body);
    showNextSteps(next);
    return;
  }
  if (result.status === 0) {
    // No answer: the same Idempotency-Key on the retry makes it safe to press again.
    setOnline(false);
    showRefusal("offline", {}, true);
    loadServices();
    return;
  }
  const error = errorOf(result);
  if (result.status >= 500 || !error.code) {
    showRefusal("offline", {}, true);
    return;
  }
  const code = result.status === 429 ? "rate_limited" : error.code;
  showRefusal(code, error.details, code === "rate_limited");
}

function showRefusal(code, details, retryable) {
  state.retry = retryable ? take : null;
  $("refusal-message").textContent = refusalText(code, details);
  $("screen-refusal").dataset.code = code;
  $("refusal-retry").hidden = !retryable;
  show("refusal");
}

// --- the number on screen, and the slip printed from a hidden frame ---

function showTicket(ticket) {
  state.lastTicket = ticket;
  state.idempotencyKey = null;
  $("ticket-number").textContent = ticket.number;
  $("ticket-service").textContent = serviceName(ticket.service);
  const agency = hall() ? agencyServing(ticket.service) : null;
  $("ticket-agency").hidden = !agency;
  $("ticket-agency").textContent = agency ? agency.name : "";
  $("ticket-ahead").textContent = fill(S.people, { count: ticket.people_ahead });
  const line = state.services.find((service) => service.id === ticket.service.id);
  $("ticket-estimate").textContent = line && line.counters_open === 0 ? S.no_counter_open
    : ticket.people_ahead > 0 ? `± ${expectedWait(ticket.estimated_wait_minutes)}` : S.no_wait;
  $("ticket-qr").src = config.urls.qr.replace("__token__", encodeURIComponent(ticket.token));
  hint(S.take_slip, false);
  state.printerFailed = false;
  $("printer-failed").hidden = true;
  if (escposTicket(ticket)) {
    // The server has printed (or tried to) on this kiosk's ESC/POS printer before answering.
    if (ticket.printed) hint(S.take_slip, false);
    else if (ticket.print_error) printerFailed();
    else hint(S.note_number, false); // automatic printing is off for this kiosk
    show("ticket");
  } else {
    show("ticket");
    if (!state.printer || state.printer.auto_print !== false) printSlip(ticket);
    else hint(S.note_number, false);
  }
  guide("ticket", ticket.number);
  $("ticket-whatsapp").hidden = !config.whatsapp;
}

// --- opt-in at the kiosk (UU PDP): the number typed on the keypad, the consent shown in full ---

function openWhatsApp() {
  state.whatsapp = "";
  $("whatsapp-number").textContent = "";
  $("whatsapp-error").hidden = true;
  $("whatsapp-picker").hidden = false;
  armIdle();
}

function whatsappKey(key) {
  if (key === "back") state.whatsapp = state.whatsapp.slice(0, -1);
  else if (key === "clear") state.whatsapp = "";
  else if (state.whatsapp.length < 15) state.whatsapp += key;
  $("whatsapp-number").textContent = state.whatsapp;
  $("whatsapp-error").hidden = true;
  armIdle();
}

async function sendWhatsApp() {
  const ticket = state.lastTicket;
  if (!ticket) return;
  $("whatsapp-agree").disabled = true;
  const url = config.urls.notify.replace("__token__", encodeURIComponent(ticket.token));
  const result = await requestJson(url, {
    method: "POST",
    body: { channel: "whatsapp", address: state.whatsapp, consent: true },
  });
  $("whatsapp-agree").disabled = false;
  if (result.status === 201) {
    $("whatsapp-picker").hidden = true;
    $("ticket-whatsapp").hidden = true;
    hint(S.whatsapp_sent, false);
  } else {
    $("whatsapp-error").textContent = S.whatsapp_invalid;
    $("whatsapp-error").hidden = false;
  }
  armIdle();
}

function hint(text, warn) {
  $("ticket-hint").textContent = text;
  $("ticket-hint").classList.toggle("warn", Boolean(warn));
}

function printerFailed() {
  // The ticket is stored: the number stays large on screen, longer than usual, so it can be noted.
  state.printerFailed = true;
  $("printer-failed").hidden = false;
  hint(S.printer_failed, true);
  armIdle();
}

function printSlip(ticket) {
  const frame = $("print-frame");
  let url = config.urls.slip.replace("__token__", encodeURIComponent(ticket.token));
  if (state.printer && state.printer.paper_width_mm) url += `&paper=${state.printer.paper_width_mm}`;
  frame.dataset.token = ticket.token;
  frame.onerror = printerFailed;
  frame.src = `${url}&t=${Date.now()}`;
}

async function printAgain(ticket) {
  if (!escposTicket(ticket)) {
    printSlip(ticket);
    return;
  }
  $("ticket-reprint").disabled = true;
  hint(S.printing_again, false);
  const url = config.urls.print.replace("__token__", encodeURIComponent(ticket.token));
  const result = await requestJson(url, { method: "POST", headers: deviceHeaders(KIOSK_DEVICE) });
  if (result.body && result.body.printed) {
    state.printerFailed = false;
    $("printer-failed").hidden = true;
    hint(S.take_slip, false);
  } else {
    printerFailed();
  }
  $("ticket-reprint").disabled = false;
}

// --- wiring ---

$("detail-back").addEventListener("click", () => backToStart(false));
$("agency-back").addEventListener("click", leaveAgency);
$("access-toggle").addEventListener("click", () => setAccessible(!document.body.classList.contains("accessible")));
$("priority-choice").addEventListener("click", openGroupPicker);
$("group-none").addEventListener("click", () => choosePriorityGroup(null));
$("take").addEventListener("click", take);
$("add-next").addEventListener("click", addNextService);
$("journey-clear").addEventListener("click", clearJourney);
$("ticket-done").addEventListener("click", () => backToStart(true));
$("ticket-reprint").addEventListener("click", () => {
  if (state.lastTicket) printAgain(state.lastTicket);
});
$("refusal-back").addEventListener("click", () => backToStart(false));
$("ticket-whatsapp").addEventListener("click", openWhatsApp);
$("whatsapp-cancel").addEventListener("click", () => { $("whatsapp-picker").hidden = true; });
$("whatsapp-agree").addEventListener("click", sendWhatsApp);
$("keypad").addEventListener("click", (event) => {
  const key = event.target.closest(".key");
  if (key) whatsappKey(key.dataset.key);
});
$("refusal-retry").addEventListener("click", () => {
  if (state.retry) state.retry();
});

// The clock, in the office's time zone (the kiosk's own clock: it has no server time to correct it).
runWallClock({
  clock: new ServerClock(Date.now()),
  timeZone: () => config.time_zone,
  timeNode: $("clock-time"),
  dateNode: $("clock-date"),
  timeText: (text) => (config.zone_name ? `${text} ${config.zone_name}` : text),
});
setOnline(true);
show("start");
chooseAgency(config.agencies.find((agency) => agency.id === config.agency_id) || null);
loadServices();
loadPrinter();
