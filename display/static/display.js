/* The waiting-room display: one Socket.IO connection (websocket only), a full snapshot on every
 * connect and reconnect, then live events. Calls newer than the snapshot are spoken; a reload
 * shows the same state and says nothing; after a reconnect, the calls missed meanwhile are spoken
 * if they are still fresh and still at their counter (docs/display.md). */
import { ServerClock, runWallClock } from "/static/common/clock.js";
import { DISPLAY_DEVICE, deviceHeaders, keepDeviceToken } from "/static/common/device.js";
import { readJson, textNode as element } from "/static/common/dom.js";
import { fill, number } from "/static/common/format.js";
import { openLive } from "/static/common/live.js";
import { getJson } from "/static/common/net.js";
import { createVoice } from "./voice.js";

const config = readJson("display-config");
const T = config.text;
const RECENT_SHOWN = 6;
const FLASH_MS = 6000;
const FRESH_S = 30; // a call missed during a reconnect is still worth saying up to this age
const PAGE_MS = 8000; // a list longer than its panel turns a page this often
const SLIDE_MS = 10000; // the information panel shows its next item this often
const INFO_REFRESH_MS = 60000; // announcements, IKM and quotas are read again this often
const screen = document.querySelector(".screen");
const $ = (selector) => document.querySelector(selector);

// A display opened as /display?device=<token> keeps its token, and the address bar forgets it.
const device = keepDeviceToken(DISPLAY_DEVICE);

const state = {
  office: config.office,
  language: config.tvLanguage, // the TV's: its agency's, else the site's (the snapshot's word wins)
  area: config.area,
  calls: [], // newest first
  counters: new Map(), // id -> counter
  queues: new Map(), // service_id -> queue line
  lastSpoken: null, // event id: calls at or below it are never spoken
  synced: false, // a snapshot arrived on the current connection
  early: [], // events that beat the snapshot on a fresh connection
  flashUntil: 0,
  pages: { counters: 0, queues: 0 }, // the page each paged list shows
  info: null, // GET /display/info: maklumat, standards, announcements, IKM, quota left
  slide: 0,
};

// --- clock and date, in the office's time zone, corrected by the server's time at page load ---
runWallClock({
  clock: new ServerClock(config.serverTime),
  timeZone: () => state.office.time_zone,
  timeNode: $("[data-clock]"),
  dateNode: $("[data-date]"),
  timeText: (text) => text.replace(":", "."),
});

// --- rendering: every list is rebuilt from state; text goes in with textContent only ---
function counterLabel(counter) {
  return counter.name || `${T.counter} ${counter.number}`;
}

/* In a hall of several agencies two counters may both be "Loket 2": the agency's short name follows. */
function agencyOf(counter) {
  if (!state.hall) return "";
  if (counter.agency) return counter.agency.name;
  return (state.agencies && state.agencies[String(counter.agency_id)]) || "";
}

function where(counter) {
  const agency = agencyOf(counter);
  return agency ? `${T.counter} ${counter.number} · ${agency}` : `${T.counter} ${counter.number}`;
}

/* Shows the rows of `name` that fit its panel, a page at a time: every row gets data-page, and the
 * rows not on the current page are hidden. A row never hangs half out of its panel. */
function paginate(name, list, rows) {
  const pager = $(`[data-pager="${name}"]`);
  pager.hidden = true;
  list.replaceChildren(...rows);
  let perPage = rows.length || 1;
  if (rows.length && list.scrollHeight > list.clientHeight + 1) {
    pager.textContent = "9/9";
    pager.hidden = false; // measured with the page number in place
    const top = rows[0].getBoundingClientRect().top;
    const columns = rows.filter((row) => Math.abs(row.getBoundingClientRect().top - top) < 1).length;
    const gap = parseFloat(getComputedStyle(list).rowGap) || 0;
    const lines = Math.floor((list.clientHeight + gap) / (rows[0].getBoundingClientRect().height + gap));
    perPage = Math.max(1, lines) * Math.max(1, columns);
  }
  const count = Math.ceil(rows.length / perPage) || 1;
  const page = state.pages[name] % count;
  state.pages[name] = page;
  rows.forEach((row, i) => {
    row.dataset.page = String(Math.floor(i / perPage));
    row.hidden = Math.floor(i / perPage) !== page;
  });
  list.dataset.pages = String(count);
  list.dataset.page = String(page);
  pager.textContent = `${page + 1}/${count}`;
  pager.hidden = count < 2;
}

function turnPages() {
  for (const name of Object.keys(state.pages)) {
    const list = $(`[data-${name}]`);
    if (Number(list.dataset.pages || 1) > 1) {
      state.pages[name] += 1;
      name === "queues" ? renderQueues() : renderCounters();
    }
  }
}

function renderOffice() {
  const officeName = $("[data-office-name]");
  const name = state.agency ? state.agency.name : state.office.name; // an agency's own TV bears its name
  officeName.textContent = name;
  officeName.title = name;
  delete officeName.dataset.long;
  if (officeName.scrollHeight > officeName.clientHeight + 1) officeName.dataset.long = "";
  const text = state.office.running_text || fill(T.welcome, { office: state.office.name });
  const track = $("[data-marquee-track]");
  if (track.dataset.text !== text) {
    track.dataset.text = text;
    track.replaceChildren(element("span", "marquee-item", text), element("span", "marquee-item", text));
    // A constant reading speed whatever the length of the text: about 130 pixels a second.
    requestAnimationFrame(() => {
      track.style.animationDuration = `${Math.max(12, track.scrollWidth / 2 / 130)}s`;
    });
  }
}

function renderNow() {
  const latest = state.calls[0];
  $("[data-now-number]").textContent = latest ? latest.number : "—";
  // The counter as large as it fits; in a hall of agencies the agency after it, smaller.
  const counter = $("[data-now-counter]");
  counter.textContent = latest ? `${T.counter} ${latest.counter.number}` : "—";
  const agency = latest ? agencyOf(latest.counter) : "";
  if (agency) counter.append(element("span", "now-agency", agency));
  $("[data-now-recall]").hidden = !(latest && latest.recall);
  $("[data-now]").classList.toggle("flash", Date.now() < state.flashUntil);
  $("[data-now]").classList.toggle("empty", !latest);
}

function renderRecent() {
  const seen = new Set(state.calls.length ? [state.calls[0].number] : []);
  const rows = [];
  for (const call of state.calls.slice(1)) {
    if (seen.has(call.number)) continue; // a recall does not push other numbers off the list
    seen.add(call.number);
    const row = element("li", "recent-row");
    row.dataset.number = call.number;
    row.append(element("span", "recent-number", call.number));
    row.append(element("span", "recent-counter", where(call.counter)));
    rows.push(row);
    if (rows.length === RECENT_SHOWN) break;
  }
  if (!rows.length) rows.push(element("li", "recent-empty", T.noCalls));
  const list = $("[data-recent]");
  list.replaceChildren(...rows);
  // Older calls give way when the panel is short (a small or portrait screen): none is cut in half.
  while (list.children.length > 1 && list.scrollHeight > list.clientHeight + 1) list.lastElementChild.remove();
}

function renderCounters() {
  const list = [...state.counters.values()].sort((a, b) => a.number - b.number);
  const latest = state.calls[0];
  const tiles = list.map((counter) => {
    const tile = element("li", `counter-tile status-${counter.status}`);
    tile.dataset.counter = counter.number;
    if (latest && latest.counter.id === counter.id && Date.now() < state.flashUntil) tile.classList.add("flash");
    const agency = agencyOf(counter);
    tile.append(element("span", "counter-name", agency ? `${counterLabel(counter)} · ${agency}` : counterLabel(counter)));
    let shown = counter.current_number || "—";
    if (counter.status === "break") shown = T.break;
    if (counter.status === "closed") shown = T.closed;
    tile.append(element("span", "counter-current", shown));
    return tile;
  });
  const grid = $("[data-counters]");
  // The counters share the bottom row with the queues and the information: compact tiles from three on.
  grid.dataset.size = tiles.length > 6 ? "lots" : tiles.length > 2 ? "many" : "few";
  paginate("counters", grid, tiles);
}

function renderQueues() {
  const english = document.documentElement.lang === "en";
  const rows = [...state.queues.values()].map((line) => {
    const row = element("li", "queue-row");
    row.dataset.service = line.code;
    row.append(element("span", "queue-code", line.code));
    // The name, and under it what is left of today's quota (when the service has one).
    const label = element("span", "queue-label");
    label.append(element("span", "queue-name", (english && line.name_en) || line.name));
    const left = state.info && state.info.quota_left[String(line.service_id)];
    if (left !== undefined) label.append(element("span", "queue-quota", `${T.left} ${left}`));
    row.append(label);
    const count = element("span", "queue-count", String(line.waiting));
    count.append(element("small", null, ` ${T.waiting}`));
    row.append(count);
    return row;
  });
  const list = $("[data-queues]");
  list.dataset.size = rows.length > 10 ? "lots" : rows.length > 5 ? "many" : "few";
  paginate("queues", list, rows);
}

// --- the office's information: one item at a time, never in the calls' panels ---
function slides() {
  const info = state.info;
  if (!info) return [];
  const english = document.documentElement.lang === "en";
  const shown = (standard) => !state.queues.size || state.queues.has(standard.service_id);
  return [
    ...info.maklumat.map((m) => ({ kind: "maklumat", title: m.title, body: m.body })),
    ...info.standards.filter(shown).map((standard) => ({
      kind: "standard",
      title: `${standard.code} · ${(english && standard.name_en) || standard.name}`,
      list: standard.requirements,
      facts: [
        `${T.time}: ${standard.standard_minutes} ${T.minutes}`,
        standard.fee ? `${T.fee}: ${standard.fee}` : null,
        standard.product ? `${T.product}: ${standard.product}` : null,
      ].filter(Boolean),
    })),
    ...info.announcements.map((a) => ({ kind: a.kind, title: a.title, body: a.body, image: a.image_url })),
  ];
}

function renderInfo() {
  const all = slides();
  const box = $("[data-info-slide]");
  const item = all.length ? all[state.slide % all.length] : null;
  box.dataset.slide = item ? item.kind : "";
  box.dataset.index = String(all.length ? state.slide % all.length : 0);
  box.dataset.count = String(all.length);
  box.style.fontSize = "";
  const parts = [];
  if (item) {
    parts.push(element("h3", "info-title", item.title));
    if (item.image) {
      const image = element("img", "info-image");
      image.alt = item.title;
      image.src = item.image;
      parts.push(image);
    }
    if (item.body) parts.push(element("p", "info-body", item.body));
    if (item.list && item.list.length) {
      const list = element("ul", "info-list");
      list.append(...item.list.map((line) => element("li", null, line)));
      parts.push(element("p", "info-facts", T.requirements), list);
    }
    if (item.facts) parts.push(element("p", "info-facts", item.facts.join(" · ")));
  }
  box.replaceChildren(...parts);
  // Long text gets smaller, then loses its last lines: it never spills out of the panel.
  let size = 1.3;
  while (box.scrollHeight > box.clientHeight + 1 && size > 0.85) {
    size -= 0.1;
    box.style.fontSize = `${size}rem`;
  }
  while (box.scrollHeight > box.clientHeight + 1 && box.lastElementChild && box.children.length > 1) {
    const last = box.lastElementChild;
    if (last.tagName === "UL" && last.children.length > 1) last.lastElementChild.remove();
    else if (last.tagName === "P" && last.textContent.length > 40) last.textContent = `${last.textContent.slice(0, -40).trimEnd()}…`;
    else last.remove();
  }
  const ikm = $("[data-ikm]");
  const index = state.info && state.info.ikm;
  ikm.hidden = !index;
  if (index) {
    const score = number(index.score, 2);
    ikm.replaceChildren(
      element("span", null, `${T.ikm}: ${score} `),
      element("span", "grade", `${index.grade} · ${index.label}`),
      element("span", null, ` (${index.respondents} ${T.respondents})`),
    );
  }
}

async function loadInfo() {
  // An agency's own TV names itself: it shows its agency's IKM, the hall's TVs the site's.
  const info = await getJson(config.infoUrl, { headers: deviceHeaders(DISPLAY_DEVICE) });
  if (!info) return; // the calls matter more: the information waits for the next try
  state.info = info;
  renderInfo();
  renderQueues();
}

let infoSoon = null;
function loadInfoSoon() {
  // A queue change may be an issued ticket (quota left): read again, at most every few seconds.
  if (!infoSoon) infoSoon = setTimeout(() => { infoSoon = null; loadInfo(); }, 5000);
}

function renderAll() {
  renderOffice();
  renderNow();
  renderRecent();
  renderCounters();
  renderQueues();
  renderInfo();
}

let flashTimer = null;
function flash() {
  state.flashUntil = Date.now() + FLASH_MS;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => {
    renderNow();
    renderCounters();
  }, FLASH_MS + 50);
}

// --- voice ---
const voice = createVoice({
  announcementUrl: config.announcementUrl,
  // Where the browser forbids sound the TV says so plainly, and the supervisor's floor is told.
  onNeedsPermission: (muted) => {
    $("[data-enable-sound]").hidden = !muted;
    $("[data-sound-notice]").hidden = !muted;
    $("[data-marquee]").hidden = muted;
    reportSound();
  },
  fallback: (call) => {
    const language = state.language === "en" ? "en" : "id";
    const counter = [call.counter.number, agencyOf(call.counter)].filter(Boolean).join(" ");
    return { text: fill(config.voiceFallback[language], { number: call.number, counter }), language };
  },
  withAgency: () => state.hall,
  ownLanguage: () => (state.agency && state.agency.language) || null,
});
$("[data-enable-sound]").addEventListener("click", () => voice.enable());

function reportSound() {
  const socket = window.__displaySocket;
  if (socket && socket.connected) socket.emit("display.sound", { muted: voice.muted(), display: device, area: config.area });
}
voice.start();
voice.warm();
let warmedIn = null; // the agency's own language the clips were last fetched in (null: the site's)

/* The page was drawn in another language than the TV's own (a TV reloaded by hand has lost its
 * ?device=, or its agency chose another language): drawn again as the launcher opens it, with the
 * token, so the server draws it in the agency's language. The server gives the snapshot and the page
 * their language by one rule, so the page drawn again agrees with the snapshot; should it not, the
 * TV draws itself again at most once a minute, and shows its calls meanwhile. */
const DRAWN_AGAIN = "servicedesk.display.drawnAgain";
function drawAgain() {
  try {
    if (Date.now() - Number(window.sessionStorage.getItem(DRAWN_AGAIN) || 0) < 60000) return false;
    window.sessionStorage.setItem(DRAWN_AGAIN, String(Date.now()));
  } catch (error) {
    return false; // storage disabled: no guard against drawing again forever, so not at all
  }
  const params = new URLSearchParams(window.location.search);
  if (device) params.set("device", device);
  window.location.replace(`${window.location.pathname}?${params}`);
  return true;
}

// --- live state ---
function applySnapshot(snapshot) {
  if (snapshot.language && snapshot.language !== config.tvLanguage && drawAgain()) return;
  state.office = snapshot.office;
  state.agency = snapshot.agency || null; // an agency's own TV
  state.language = snapshot.language || state.language;
  const own = (state.agency && state.agency.language) || null;
  if (own !== warmedIn) {
    warmedIn = own;
    voice.warm(); // its calls are said in its agency's language: those clips before the first call
  }
  state.hall = Boolean(snapshot.hall); // a hall TV of several agencies
  state.agencies = snapshot.agencies || {}; // agency id -> short name, for the counter tiles
  state.area = snapshot.area || "";
  state.calls = snapshot.calls.slice().sort((a, b) => b.event_id - a.event_id);
  state.counters = new Map(snapshot.counters.map((c) => [c.id, c]));
  state.queues = new Map(snapshot.queues.map((q) => [q.service_id, q]));
  // On a fresh page everything up to the snapshot is already on screen and never spoken, so a reload
  // stays silent. After a reconnect, the calls missed meanwhile are said if still fresh and standing.
  if (state.lastSpoken !== null) speakMissed(snapshot);
  state.lastSpoken = Math.max(state.lastSpoken || 0, snapshot.last_event_id);
  state.synced = true;
  screen.dataset.state = "live";
  screen.dataset.lastEventId = String(snapshot.last_event_id);
  renderAll();
  const early = state.early;
  state.early = [];
  early.forEach(([name, payload]) => handle(name, payload));
}

function speakMissed(snapshot) {
  const now = Date.parse(snapshot.now);
  const missed = snapshot.calls
    .filter((call) => call.event_id > state.lastSpoken)
    .sort((a, b) => a.event_id - b.event_id);
  for (const call of missed) {
    const age = (now - Date.parse(call.at)) / 1000;
    const counter = state.counters.get(call.counter.id);
    const standing = counter && counter.current_number === call.number && counter.current_status === "called";
    if (age <= FRESH_S && standing) voice.speak(call, Math.max(0, age));
  }
}

function applyCall(call) {
  if (!state.calls.some((known) => known.event_id === call.event_id)) {
    state.calls.unshift(call);
    state.calls.sort((a, b) => b.event_id - a.event_id);
    state.calls.length = Math.min(state.calls.length, 12);
    const counter = state.counters.get(call.counter.id);
    if (counter) counter.current_number = call.number;
    if (state.calls[0] === call) flash();
    renderNow();
    renderRecent();
    renderCounters();
  }
  if (call.event_id > state.lastSpoken) {
    state.lastSpoken = call.event_id;
    voice.speak(call);
  }
}

function applyCounter(counter) {
  if (state.area && counter.area !== state.area) return;
  if (state.agency && counter.agency_id !== state.agency.id) return; // another agency's counter
  state.counters.set(counter.id, { ...state.counters.get(counter.id), ...counter });
  renderCounters();
  // A call not yet said is dropped once its visitor is being served, was a no-show, or the counter
  // moved on to someone else.
  voice.forget(
    (call) =>
      call.counter.id === counter.id &&
      (counter.current_number !== call.number || counter.current_status !== "called"),
    "moved on",
  );
}

function applyQueue(line) {
  if (!state.queues.has(line.service_id)) return; // not one of this display's services
  state.queues.set(line.service_id, line);
  renderQueues();
  loadInfoSoon();
}

function handle(name, payload) {
  if (!state.synced) {
    state.early.push([name, payload]);
    return;
  }
  if (name === "ticket.called" || name === "ticket.recalled") applyCall(payload);
  else if (name === "counter.changed") applyCounter(payload);
  else if (name === "queue.changed") applyQueue(payload);
}

// --- connection ---
const connection = $("[data-connection]");
let lostTimer = null;
function showLost() {
  // A blip of a second is not worth a message; a real loss is shown, discreetly.
  if (lostTimer) return;
  lostTimer = setTimeout(() => {
    connection.textContent = T.reconnecting;
    connection.hidden = false;
    screen.dataset.state = "reconnecting";
  }, 1000);
}
function showConnected() {
  clearTimeout(lostTimer);
  lostTimer = null;
  connection.hidden = true;
  $("[data-notice]").hidden = true;
}

function showRefused() {
  // Refused: the device token is unknown or revoked, or the office requires one.
  clearTimeout(lostTimer);
  lostTimer = null;
  connection.hidden = true;
  screen.dataset.state = "refused";
  const notice = $("[data-notice]");
  notice.textContent = T.unknownDevice;
  notice.hidden = false;
  setTimeout(() => socket.connect(), 30000);
}

const socket = openLive({
  kind: "display",
  options: {
    transports: ["websocket"],
    auth: (send) => send(device ? { display: device } : { area: config.area }),
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000,
    randomizationFactor: 0.3,
  },
  onSnapshot: applySnapshot,
  events: Object.fromEntries(
    ["ticket.called", "ticket.recalled", "counter.changed", "queue.changed"].map((name) => [name, (payload) => handle(name, payload)]),
  ),
  onStatus: (connected, reason) => {
    if (connected) {
      showConnected();
      reportSound();
      return;
    }
    state.synced = false;
    if (reason === "connect_error") {
      if (socket.active) showLost(); // the server is away: the client keeps retrying by itself
      else showRefused();
      return;
    }
    state.early = [];
    showLost();
    if (reason === "io server disconnect") setTimeout(() => socket.connect(), 2000);
  },
});
window.__displaySocket = socket;

renderAll();
setInterval(turnPages, PAGE_MS);
loadInfo();
setInterval(loadInfo, INFO_REFRESH_MS);
setInterval(() => {
  state.slide += 1;
  renderInfo();
}, SLIDE_MS);
window.addEventListener("resize", renderAll);
if (document.fonts) document.fonts.ready.then(renderAll); // measured again with the real fonts

// For support and tests: show a given page of a paged list now.
window.__display = {
  showPage(name, page) {
    state.pages[name] = page;
    name === "queues" ? renderQueues() : renderCounters();
  },
  showSlide(index) {
    state.slide = index;
    renderInfo();
  },
};
