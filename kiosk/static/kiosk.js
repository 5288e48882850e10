/* The touch kiosk: choose a service, read its Standar Pelayanan, take a number, print the slip.
   Everything it shows comes from the JSON API; the sentences come translated from the server. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("kiosk-config").textContent);
  var S = config.strings;
  var DEVICE_KEY = "servicedesk.kiosk.device";
  var REQUEST_TIMEOUT_MS = 10000;
  var OFFLINE_RETRY_MS = 4000;

  var state = {
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
  };
  var timers = { refresh: null, idle: null };

  function $(id) { return document.getElementById(id); }

  function format(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] === undefined || values[key] === null ? "" : values[key];
    });
  }

  // --- the kiosk's device token: /kiosk?device=<token> once, then kept on this machine ---

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  (function keepDeviceToken() {
    var params = new URLSearchParams(window.location.search);
    var token = params.get("device");
    if (!token) return;
    if (storage()) storage().setItem(DEVICE_KEY, token);
    params.delete("device");
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  })();

  function deviceToken() {
    return storage() ? storage().getItem(DEVICE_KEY) : null;
  }

  // --- small helpers ---

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return "kiosk-" + window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return "kiosk-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function serviceName(service) {
    return config.locale === "en" && service.name_en ? service.name_en : service.name;
  }

  // A catalogue text in the page's language: the English version when the office wrote one.
  function serviceText(service, field) {
    var english = config.locale === "en" && service.en ? service.en[field] : null;
    var has = Array.isArray(english) ? english.length > 0 : Boolean(english);
    return has ? english : service[field];
  }

  function minutesText(minutes) {
    return minutes > 0 ? format(S.minutes, { minutes: minutes }) : S.no_wait;
  }

  function clockLabel(hhmm) {
    var text = config.locale === "id" ? String(hhmm).replace(":", ".") : String(hhmm);
    return config.zone_name ? text + " " + config.zone_name : text;
  }

  function refusalText(code, details) {
    var template = config.refusals[code] || config.refusals.unknown;
    var values = {};
    Object.keys(details || {}).forEach(function (key) { values[key] = clockLabel(details[key]); });
    return format(template, values);
  }

  function request(url, options) {
    var controller = new AbortController();
    var timeout = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    options = options || {};
    options.signal = controller.signal;
    options.cache = "no-store";
    return fetch(url, options).finally(function () { clearTimeout(timeout); });
  }

  // --- screens and the idle reset ---

  function show(name) {
    var changed = state.screen !== name;
    state.screen = name;
    ["start", "detail", "busy", "ticket", "refusal"].forEach(function (screen) {
      $("screen-" + screen).hidden = screen !== name;
    });
    document.body.dataset.screen = name;
    armIdle();
    if (changed && name !== "busy" && name !== "ticket") guide(name);
  }

  // --- the accessible mode: high contrast, large text, and each step said aloud ---
  // The voice is the display's: the same espeak-ng recordings (servicedesk/ops/announce.py), served at
  // /display/clips/<name> and played back to back with Web Audio, so the kiosk speaks offline too.
  // Every guidance played is recorded in window.__kioskSpoken (step, text, clip URLs, clips played).

  var voice = { context: null, buffers: {}, token: 0, source: null };
  window.__kioskSpoken = [];

  function audioContext() {
    if (!voice.context) {
      var Context = window.AudioContext || window.webkitAudioContext;
      voice.context = Context ? new Context() : null;
    }
    return voice.context;
  }

  function loadClip(url) {
    if (!voice.buffers[url]) {
      var context = audioContext();
      voice.buffers[url] = fetch(url)
        .then(function (response) { return response.ok ? response.arrayBuffer() : Promise.reject(response.status); })
        .then(function (data) { return context.decodeAudioData(data); })
        .catch(function () { delete voice.buffers[url]; return null; });
    }
    return voice.buffers[url];
  }

  function playBuffer(buffer) {
    return new Promise(function (resolve) {
      var source = audioContext().createBufferSource();
      source.buffer = buffer;
      source.connect(audioContext().destination);
      var guard = setTimeout(resolve, buffer.duration * 1000 + 1500); // a suspended context never ends
      source.onended = function () { clearTimeout(guard); resolve(); };
      voice.source = source;
      source.start();
    });
  }

  function hush() {
    voice.token += 1; // a newer step interrupts the one still speaking
    if (voice.source) { try { voice.source.stop(); } catch (e) { /* already ended */ } }
    voice.source = null;
  }

  function guide(step, number) {
    if (!document.body.classList.contains("accessible") || !audioContext()) return;
    hush();
    var token = voice.token;
    var query = "?lang=" + encodeURIComponent(config.locale) + (number ? "&number=" + encodeURIComponent(number) : "");
    request(config.urls.guidance.replace("__step__", step) + query)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (said) {
        if (!said || token !== voice.token) return;
        var entry = { step: step, text: said.text, clips: said.clips.map(function (c) { return c.url; }), played: 0 };
        window.__kioskSpoken.push(entry);
        return Promise.all(said.clips.map(function (c) { return loadClip(c.url); })).then(function (buffers) {
          return buffers.reduce(function (chain, buffer) {
            return chain.then(function () {
              if (!buffer || token !== voice.token) return null;
              return playBuffer(buffer).then(function () { if (token === voice.token) entry.played += 1; });
            });
          }, Promise.resolve()).then(function () {
            entry.finished = token === voice.token;
            document.body.dataset.spoken = String(window.__kioskSpoken.length);
          });
        });
      })
      .catch(function () { /* the screen still says everything; the voice is an aid */ });
  }

  function setAccessible(on) {
    document.documentElement.classList.toggle("accessible", on);
    document.body.classList.toggle("accessible", on);
    $("access-toggle").setAttribute("aria-pressed", on ? "true" : "false");
    if (on) {
      var context = audioContext();
      if (context) context.resume(); // a touch: the browser lets the voice start
      guide(state.screen === "ticket" ? "ticket" : state.screen,
        state.screen === "ticket" && state.lastTicket ? state.lastTicket.number : null);
    } else {
      hush();
    }
  }

  function armIdle() {
    clearTimeout(timers.idle);
    if (state.screen === "start" || state.screen === "busy") return;
    var seconds = state.screen !== "ticket" ? config.idle_seconds
      : state.printerFailed ? config.printer_failed_seconds : config.ticket_seconds;
    timers.idle = setTimeout(function () { backToStart(true); }, seconds * 1000);
  }

  function backToStart(nextVisitor) {
    if (nextVisitor === true) setAccessible(false); // the next visitor starts in the standard mode
    state.service = null;
    $("group-picker").hidden = true;
    state.idempotencyKey = null;
    state.retry = null;
    state.printerFailed = false;
    $("printer-failed").hidden = true;
    if (config.locale !== config.office_language) {
      // The next visitor starts in the office's language.
      window.location.href = config.urls.kiosk + "?lang=" + config.office_language;
      return;
    }
    $("print-frame").removeAttribute("src");
    show("start");
    loadServices();
    loadPrinter();
  }

  ["pointerdown", "keydown", "touchstart"].forEach(function (kind) {
    document.addEventListener(kind, armIdle, { passive: true });
  });

  // --- the clock, in the office's time zone ---

  var timeFormat = new Intl.DateTimeFormat(config.locale === "en" ? "en-GB" : "id-ID", {
    timeZone: config.time_zone, hour: "2-digit", minute: "2-digit", hour12: false,
  });
  var dateFormat = new Intl.DateTimeFormat(config.locale === "en" ? "en-GB" : "id-ID", {
    timeZone: config.time_zone, weekday: "long", day: "numeric", month: "long", year: "numeric",
  });

  function tick() {
    var now = new Date();
    $("clock-time").textContent = timeFormat.format(now) + (config.zone_name ? " " + config.zone_name : "");
    $("clock-date").textContent = dateFormat.format(now);
  }

  // --- connection state: a banner while the server is away, gone by itself when it is back ---

  function setOnline(online) {
    state.online = online;
    var banner = $("banner");
    if (!online) {
      banner.textContent = config.refusals.offline;
      banner.className = "banner";
      banner.hidden = false;
    } else if (config.require_device_token && !deviceToken()) {
      banner.textContent = S.setup_needed + ": " + config.refusals.device_token_required;
      banner.className = "banner setup";
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  // --- how this kiosk prints: from the browser, or by the server on its ESC/POS printer ---

  function loadPrinter() {
    var token = deviceToken();
    if (!token) { state.printer = null; return; }
    request(config.urls.device, { headers: { "X-Device-Token": token } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (printer) { state.printer = printer; })
      .catch(function () { /* keep what was known; the issuing answer says what happened anyway */ });
  }

  function escposTicket(ticket) {
    return Boolean(ticket.print_mode) && ticket.print_mode !== "browser";
  }

  // --- the start screen: the services, refreshed while the kiosk stands idle ---

  function loadServices() {
    clearTimeout(timers.refresh);
    return request(config.urls.services)
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (services) {
        var wasOffline = !state.online;
        setOnline(true);
        state.services = services;
        renderServices();
        if (wasOffline && state.screen === "refusal" && state.retry === null) backToStart();
        timers.refresh = setTimeout(loadServices, config.refresh_seconds * 1000);
      })
      .catch(function () {
        setOnline(false);
        timers.refresh = setTimeout(loadServices, OFFLINE_RETRY_MS);
      });
  }

  // Refusals that hold for the whole office (domain/hours.py OFFICE_WIDE): said once, above the tiles.
  var OFFICE_WIDE = ["holiday", "closed_today", "not_open_yet", "on_break", "closed_for_today"];

  function officeWide(refusal) {
    return Boolean(refusal) && OFFICE_WIDE.indexOf(refusal.code) >= 0;
  }

  // The wait a visitor may expect, or why there is no number to give: nobody waits, or no counter is open.
  function waitText(service, peopleAhead) {
    if (service && service.counters_open === 0) return S.no_counter_open;
    return peopleAhead > 0 ? "± " + minutesText(service ? service.estimated_wait_minutes : 0) : S.no_wait;
  }

  function renderNotice() {
    // The office is closed, on a holiday or in a break: said before anyone chooses, not after.
    var refused = state.services.filter(function (service) { return service.refusal; });
    var notice = $("start-notice");
    var shared = refused.length === state.services.length && refused.length > 0 ? refused.filter(function (service) {
      return officeWide(service.refusal);
    })[0] : null;
    notice.hidden = !shared;
    notice.textContent = shared ? refusalText(shared.refusal.code, shared.refusal.details) : "";
    notice.dataset.code = shared ? shared.refusal.code : "";
  }

  function renderServices() {
    var grid = $("services");
    grid.textContent = "";
    grid.classList.toggle("many", state.services.length > 6);
    $("services-empty").hidden = state.services.length > 0;
    renderNotice();
    state.services.forEach(function (service) {
      var button = el("button", "service");
      button.type = "button";
      button.setAttribute("role", "listitem");
      button.dataset.code = service.code;
      button.appendChild(el("span", "code-badge", service.code));
      button.appendChild(el("span", "service-name", serviceName(service)));
      button.appendChild(el("span", "service-description", serviceText(service, "description")));
      var queue = el("span", "service-queue");
      queue.appendChild(el("span", "count", service.waiting + " " + S.waiting));
      queue.appendChild(el("span", "wait", waitText(service, service.waiting)));
      button.appendChild(queue);
      if (service.refusal) {
        // No ticket now: the tile stays, greyed, with the reason in words.
        button.disabled = true;
        button.classList.add("refused");
        button.dataset.refusal = service.refusal.code;
        button.appendChild(el("span", "service-refusal", officeWide(service.refusal)
          ? S.not_available_now : refusalText(service.refusal.code, service.refusal.details)));
      } else {
        button.addEventListener("click", function () { openDetail(service); });
      }
      grid.appendChild(button);
    });
  }

  // --- a service's published Standar Pelayanan, then "take a number" ---

  function component(title, body, wide) {
    var box = el("div", "component" + (wide ? " wide" : ""));
    box.appendChild(el("h2", null, title));
    box.appendChild(body);
    return box;
  }

  function list(tag, items) {
    var node = el(tag);
    (items || []).forEach(function (item) { node.appendChild(el("li", null, item)); });
    return node;
  }

  function openDetail(service) {
    state.service = service;
    state.idempotencyKey = newKey(); // one key per "take a number": a second tap repeats, never duplicates
    $("detail-code").textContent = service.code;
    $("detail-name").textContent = serviceName(service);
    $("detail-description").textContent = serviceText(service, "description");
    var standard = $("detail-standard");
    standard.textContent = "";
    standard.appendChild(component(S.requirements, list("ul", serviceText(service, "requirements"))));
    standard.appendChild(component(S.procedure, list("ol", serviceText(service, "procedure"))));
    standard.appendChild(component(S.standard_time, el("p", null, format(S.minutes, { minutes: service.standard_minutes }))));
    standard.appendChild(component(S.fee, el("p", null, serviceText(service, "fee"))));
    standard.appendChild(component(S.product, el("p", null, serviceText(service, "product"))));
    var complaints = el("div");
    complaints.appendChild(el("p", null, serviceText(service, "complaint_channel")));
    if (service.sop && service.sop.number) {
      complaints.appendChild(el("p", "sop-line", S.sop + ": " + service.sop.number + (service.unit ? " · " + service.unit : "")));
    }
    standard.appendChild(component(S.complaints, complaints));
    choosePriorityGroup(null);
    $("priority-choice").hidden = !service.priority_allowed;
    $("take").disabled = false;
    show("detail");
  }

  // --- the priority group (kelompok rentan): the visitor says which, the ticket keeps it ---

  var priorityHint = $("priority-chosen").textContent;

  function choosePriorityGroup(key) {
    state.priorityGroup = key;
    var group = config.priority_groups.filter(function (g) { return g.key === key; })[0];
    $("priority-chosen").textContent = group ? group.label : priorityHint;
    $("priority-choice").classList.toggle("chosen", Boolean(group));
    $("priority-choice").setAttribute("aria-pressed", group ? "true" : "false");
    $("group-picker").hidden = true;
  }

  function openGroupPicker() {
    var list = $("group-list");
    list.textContent = "";
    config.priority_groups.forEach(function (group) {
      var button = el("button", "group-option" + (group.key === state.priorityGroup ? " chosen" : ""), group.label);
      button.type = "button";
      button.dataset.key = group.key;
      button.addEventListener("click", function () { choosePriorityGroup(group.key); });
      list.appendChild(button);
    });
    $("group-picker").hidden = false;
    guide("priority");
  }

  function take() {
    if (state.busy || !state.service) return;
    state.busy = true;
    $("take").disabled = true;
    show("busy");
    var headers = { "Content-Type": "application/json", "Idempotency-Key": state.idempotencyKey };
    var token = deviceToken();
    if (token) headers["X-Device-Token"] = token;
    var body = JSON.stringify({
      service_id: state.service.id, priority: Boolean(state.priorityGroup), priority_group: state.priorityGroup,
    });
    request(config.urls.tickets, { method: "POST", headers: headers, body: body })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .then(function (result) {
        state.busy = false;
        if (result.status === 201) {
          setOnline(true);
          showTicket(result.data);
          return;
        }
        var error = (result.data && result.data.error) || {};
        if (result.status >= 500 || !error.code) {
          showRefusal("offline", {}, true);
          return;
        }
        var code = result.status === 429 ? "rate_limited" : error.code;
        showRefusal(code, error.details, code === "rate_limited");
      })
      .catch(function () {
        // No answer: the same Idempotency-Key on the retry makes it safe to press again.
        state.busy = false;
        setOnline(false);
        showRefusal("offline", {}, true);
        loadServices();
      });
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
    $("ticket-ahead").textContent = format(S.people, { count: ticket.people_ahead });
    var line = state.services.filter(function (service) { return service.id === ticket.service.id; })[0];
    $("ticket-estimate").textContent = line && line.counters_open === 0 ? S.no_counter_open
      : ticket.people_ahead > 0 ? "± " + minutesText(ticket.estimated_wait_minutes) : S.no_wait;
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
    var frame = $("print-frame");
    var url = config.urls.slip.replace("__token__", encodeURIComponent(ticket.token));
    if (state.printer && state.printer.paper_width_mm) url += "&paper=" + state.printer.paper_width_mm;
    frame.dataset.token = ticket.token;
    frame.onerror = printerFailed;
    frame.src = url + "&t=" + Date.now();
  }

  function printAgain(ticket) {
    if (!escposTicket(ticket)) { printSlip(ticket); return; }
    var headers = {};
    var token = deviceToken();
    if (token) headers["X-Device-Token"] = token;
    $("ticket-reprint").disabled = true;
    hint(S.printing_again, false);
    request(config.urls.print.replace("__token__", encodeURIComponent(ticket.token)), { method: "POST", headers: headers })
      .then(function (response) { return response.json(); })
      .then(function (outcome) {
        if (outcome.printed) {
          state.printerFailed = false;
          $("printer-failed").hidden = true;
          hint(S.take_slip, false);
        } else {
          printerFailed();
        }
      })
      .catch(printerFailed)
      .finally(function () { $("ticket-reprint").disabled = false; });
  }

  // --- wiring ---

  $("detail-back").addEventListener("click", function () { backToStart(false); });
  $("access-toggle").addEventListener("click", function () {
    setAccessible(!document.body.classList.contains("accessible"));
  });
  $("priority-choice").addEventListener("click", openGroupPicker);
  $("group-none").addEventListener("click", function () { choosePriorityGroup(null); });
  $("take").addEventListener("click", take);
  $("ticket-done").addEventListener("click", function () { backToStart(true); });
  $("ticket-reprint").addEventListener("click", function () {
    if (state.lastTicket) printAgain(state.lastTicket);
  });
  $("refusal-back").addEventListener("click", function () { backToStart(false); });
  $("refusal-retry").addEventListener("click", function () {
    if (state.retry) state.retry();
  });

  tick();
  setInterval(tick, 1000);
  setOnline(true);
  show("start");
  loadServices();
  loadPrinter();
})();
