/* The supervisor's floor: counters, queues, alerts, waiting tickets, no-shows and officers' figures,
   live over the staff Socket.IO room. Alerts and figures are computed by the server
   (GET /api/v1/alerts, /api/v1/figures): they are re-read after events and every few seconds,
   since a wait crosses its threshold without any event happening. */
(function () {
  "use strict";

  var S = window.Staff;
  var data = S.readData("floor-data");
  var strings = data.strings;
  var clock = new S.ServerClock(data.server_now);
  var api = new S.Api(data.urls.api, data.urls.login);
  var floor = new S.Floor();
  var services = new Map(data.services.map(function (s) { return [s.id, s]; }));
  var noShows = [];
  var moving = null;

  var $ = function (id) { return document.getElementById(id); };

  function say(text, kind) {
    $("message").textContent = text || "";
    $("message").className = "message" + (kind ? " message--" + kind : "");
  }

  function minutesText(minutes) { return S.wholeMinutes(minutes) + " " + strings.min; }

  // --- counters ---

  function counterTicket(counter) {
    return counter.current_ticket_id ? floor.tickets.get(counter.current_ticket_id) || null : null;
  }

  function renderCounters() {
    var box = $("counters");
    box.replaceChildren();
    var counters = Array.from(floor.counters.values()).sort(function (a, b) { return a.number - b.number; });
    counters.forEach(function (counter) {
      var ticket = counterTicket(counter);
      var timer = S.el("div", { className: "counter__timer" });
      if (ticket) {
        timer.dataset.ticketId = ticket.id;
      }
      var close = null;
      if (counter.status !== "closed") {
        close = S.el("button", { type: "button", className: "btn btn--small btn--danger-quiet", text: strings.close });
        close.addEventListener("click", function () { closeCounter(counter); });
      }
      box.appendChild(S.el("article", { className: "counter counter--" + counter.status, "data-counter": counter.number }, [
        S.el("header", { className: "counter__head" }, [
          S.el("strong", { text: counter.name }),
          S.el("span", { className: "badge badge--" + counter.status, text: strings.status[counter.status] || counter.status }),
        ]),
        S.el("div", { className: "counter__officer", text: counter.officer_name || strings.no_officer }),
        S.el("div", { className: "counter__ticket" }, [
          S.el("span", { className: "counter__number", text: ticket ? ticket.number : "—" }),
          ticket && ticket.priority ? S.el("span", { className: "badge badge--priority badge--small", title: strings.priority, text: "P" }) : null,
          ticket ? S.el("span", { className: "badge badge--" + ticket.status, text: strings[ticket.status] }) : null,
        ]),
        timer,
        S.el("footer", { className: "counter__foot" }, [
          S.el("span", { className: "muted", text: counter.service_ids.map(function (id) { return (services.get(id) || {}).code; }).join(" · ") }),
          close,
        ]),
      ]));
    });
    tickTimers();
  }

  function tickTimers() {
    document.querySelectorAll(".counter__timer[data-ticket-id]").forEach(function (node) {
      var ticket = floor.tickets.get(Number(node.dataset.ticketId));
      if (!ticket) return;
      if (ticket.status === "serving") {
        var elapsed = clock.minutesSince(ticket.serving_since);  // time on hold left out
        var service = services.get(ticket.service.id);
        var limit = service ? service.alert_service_minutes : ticket.standard_minutes;
        node.className = "counter__timer timer--" + S.timerState(elapsed, limit, data.amber_share);
        node.textContent = S.clockText(elapsed) + " / " + ticket.standard_minutes + " " + strings.min;
      } else {
        node.className = "counter__timer timer--called";
        node.textContent = strings.called + " " + S.clockText(clock.minutesSince(ticket.called_at));
      }
    });
    document.querySelectorAll("[data-since]").forEach(function (cell) {
      cell.textContent = minutesText(clock.minutesSince(cell.dataset.since));
    });
    $("clock").textContent = S.timeOfDay(new Date(clock.now()).toISOString(), data.time_zone);
  }

  function closeCounter(counter) {
    if (!window.confirm(strings.confirm_close.replace("%(counter)s", counter.name))) return;
    api.post("/counters/" + counter.id + "/close").then(function (result) {
      if (result.ok) {
        floor.counters.set(result.body.id, result.body);
        say(counter.name + " " + strings.closed_counter, "ok");
        renderCounters();
      } else say(counter.name + ": " + S.errorText(result, strings), "bad");
    });
  }

  // --- queues and waiting tickets ---

  function renderQueues() {
    var body = $("queues").querySelector("tbody");
    body.replaceChildren();
    data.services.forEach(function (service) {
      var line = floor.queues.get(service.id);
      if (!line) return;
      var estimate = Math.ceil(line.waiting * line.minutes_per_person - 1e-9);
      var longest = line.longest_wait_since ? clock.minutesSince(line.longest_wait_since) : 0;
      var longCell = S.el("td", { className: "num" + (line.waiting && longest > service.alert_wait_minutes ? " is-bad" : "") });
      if (line.longest_wait_since) {
        longCell.dataset.since = line.longest_wait_since;
        longCell.textContent = minutesText(longest);
      } else longCell.textContent = "—";
      body.appendChild(S.el("tr", { "data-service": service.code }, [
        S.el("td", {}, [S.el("strong", { text: service.code }), " " + service.name]),
        S.el("td", { className: "num queues__waiting", text: String(line.waiting) }),
        longCell,
        S.el("td", { className: "num", text: line.waiting ? "± " + minutesText(Math.max(estimate, 0)) : "—" }),
        S.el("td", { className: "num" + (line.waiting && !line.counters_open ? " is-bad" : ""), text: String(line.counters_open) }),
        S.el("td", { className: "num muted", text: service.standard_minutes + " " + strings.min }),
      ]));
    });
  }

  function renderWaiting() {
    var waiting = floor.list(function (t) { return t.status === "waiting"; }).sort(S.Floor.byCallOrder);
    var body = $("waiting").querySelector("tbody");
    body.replaceChildren();
    waiting.forEach(function (t) {
      var move = S.el("button", { type: "button", className: "btn btn--small", "data-move": t.number, text: strings.move });
      move.addEventListener("click", function () { openMove(t); });
      var cancel = S.el("button", { type: "button", className: "btn btn--small btn--danger-quiet", "data-cancel": t.number, text: strings.cancel });
      cancel.addEventListener("click", function () { cancelDialog.open(t); });
      var service = services.get(t.service.id);
      var late = service && clock.minutesSince(t.queued_at) > service.alert_wait_minutes;
      body.appendChild(S.el("tr", { "data-ticket-id": t.id, className: late ? "is-late" : "" }, [
        S.el("td", { className: "list__number" }, [
          t.number, t.priority ? S.el("span", { className: "badge badge--priority badge--small", title: strings.priority, text: "P" }) : null,
        ]),
        S.el("td", { text: t.service.code + " · " + t.service.name }),
        S.el("td", { className: "num list__minutes", "data-since": t.queued_at, text: minutesText(clock.minutesSince(t.queued_at)) }),
        S.el("td", { className: "num" }, [move, " ", cancel]),
      ]));
    });
    $("waiting-total").textContent = waiting.length;
    $("waiting-empty").hidden = waiting.length > 0;
    $("waiting").hidden = waiting.length === 0;
  }

  function openMove(ticket) {
    moving = ticket;
    $("move-number").textContent = ticket.number;
    var select = $("move-service");
    Array.prototype.forEach.call(select.options, function (o) { o.disabled = Number(o.value) === ticket.service.id; });
    var first = Array.prototype.find.call(select.options, function (o) { return !o.disabled; });
    if (first) select.value = first.value;
    $("move-note").value = "";
    $("move-dialog").showModal();
    select.focus();
  }

  $("move-form").addEventListener("submit", function (event) {
    event.preventDefault();
    $("move-dialog").close();
    if (!moving) return;
    var ticket = moving;
    var body = { to_service_id: Number($("move-service").value) };
    var note = $("move-note").value.trim();
    if (note) body.note = note;
    api.post("/tickets/" + ticket.id + "/transfer", body).then(function (result) {
      if (result.ok) {
        floor.putTicket(result.body);
        say(ticket.number + " " + strings.moved + " " + result.body.service.code + " · " + result.body.service.name, "ok");
        renderAll();
      } else say(ticket.number + ": " + S.errorText(result, strings), "bad");
    });
  });

  var cancelDialog = new S.CancelDialog(api, function (t, result) {
    if (result.ok) {
      floor.putTicket(result.body);
      say(t.number + " · " + strings.cancelled, "ok");
      renderAll();
    } else say(t.number + ": " + S.errorText(result, strings), "bad");
  });

  document.querySelectorAll("dialog [data-close]").forEach(function (button) {
    button.addEventListener("click", function () { button.closest("dialog").close(); });
  });

  // --- no-shows, alerts and figures (read from the server) ---

  function renderNoShows() {
    var list = $("noshows");
    list.replaceChildren();
    if (!noShows.length) list.appendChild(S.el("li", { className: "muted", text: strings.no_no_shows }));
    noShows.forEach(function (t) {
      var reopen = S.el("button", { type: "button", className: "btn btn--small", text: strings.reopen });
      reopen.addEventListener("click", function () {
        api.post("/tickets/" + t.id + "/reopen").then(function (result) {
          if (result.ok) {
            floor.putTicket(result.body);
            say(t.number + " " + strings.reopened, "ok");
            loadNoShows();
            renderAll();
          } else say(t.number + ": " + S.errorText(result, strings), "bad");
        });
      });
      list.appendChild(S.el("li", { "data-ticket-id": t.id }, [
        S.el("strong", { text: t.number }),
        S.el("span", { text: t.service.code + " · " + (t.counter ? t.counter.name : "") + " · " + S.timeOfDay(t.called_at, data.time_zone) }),
        reopen,
      ]));
    });
  }

  function loadNoShows() {
    api.get("/no-shows").then(function (result) {
      if (result.ok) { noShows = result.body; renderNoShows(); }
    });
  }

  function renderAlerts(alerts) {
    var list = $("alerts-list");
    list.replaceChildren();
    $("alerts-count").textContent = alerts.length;
    $("alerts-count").hidden = alerts.length === 0;
    document.querySelector(".alerts").classList.toggle("alerts--on", alerts.length > 0);
    if (!alerts.length) list.appendChild(S.el("li", { className: "alerts__none", text: strings.no_alerts }));
    alerts.forEach(function (a) {
      var what = a.kind === "waiting" ? strings.alert_waiting : strings.alert_serving;
      list.appendChild(S.el("li", { className: "alert alert--" + a.kind, "data-ticket-id": a.ticket_id, "data-kind": a.kind }, [
        S.el("strong", { className: "alert__number", text: a.number }),
        S.el("span", { text: " " + a.service.code + " · " + what + " " + minutesText(a.minutes) +
          " (" + strings.threshold + " " + a.threshold_minutes + " " + strings.min + ")" +
          (a.counter ? " · " + a.counter.name : "") }),
      ]));
    });
  }

  function loadAlerts() {
    api.get("/alerts").then(function (result) { if (result.ok) renderAlerts(result.body); });
  }

  function renderFigures(rows) {
    var body = $("figures").querySelector("tbody");
    body.replaceChildren();
    rows.forEach(function (f) {
      body.appendChild(S.el("tr", { "data-officer-id": f.officer_id, title: f.full_name }, [
        S.el("td", { text: f.full_name }),
        S.el("td", { className: "num", text: String(f.served) }),
        S.el("td", { className: "num", text: f.mean_service_minutes === null ? "—" : f.mean_service_minutes + " " + strings.min }),
        S.el("td", { className: "num", text: f.within_standard_share === null ? "—" : Math.round(f.within_standard_share * 100) + "%" }),
        S.el("td", { className: "num", text: String(f.no_shows) }),
      ]));
    });
  }

  function loadFigures() {
    api.get("/figures").then(function (result) { if (result.ok) renderFigures(result.body); });
  }

  var pending = null;
  function refreshSoon(withNoShows) {
    if (withNoShows) loadNoShows();
    window.clearTimeout(pending);
    pending = window.setTimeout(function () { loadAlerts(); loadFigures(); }, 400);
  }

  function renderAll() {
    renderCounters();
    renderQueues();
    renderWaiting();
  }

  // --- displays whose browser forbids sound: a TV nobody hears ---
  var mutedDisplays = new Map();

  function loadMuted(list) {
    mutedDisplays = new Map((list || []).map(function (d) { return [d.key, d]; }));
    renderMuted();
  }

  function renderMuted() {
    var list = $("muted-displays");
    list.replaceChildren();
    $("muted-count").textContent = mutedDisplays.size;
    $("muted-count").hidden = mutedDisplays.size === 0;
    if (!mutedDisplays.size) list.appendChild(S.el("li", { className: "muted", text: strings.no_muted }));
    mutedDisplays.forEach(function (d) {
      var name = d.name || strings.unregistered_display;
      list.appendChild(S.el("li", { "data-display": d.key }, [
        S.el("strong", { text: name }),
        S.el("span", { className: "muted", text: (d.area ? " · " + d.area : "") + " · " + S.timeOfDay(d.at, data.time_zone) }),
      ]));
    });
  }

  var socket = S.connectFloor(floor, function (name, payload) {
    if (name === "snapshot") loadMuted(payload.muted_displays);
    renderAll();
    if (name.indexOf("ticket.") === 0 || name === "snapshot") {
      refreshSoon(name === "snapshot" || name === "ticket.no_show" || name === "ticket.requeued" || name === "ticket.cancelled");
    }
  }, function (connected) {
    $("live").textContent = connected ? strings.online : strings.offline;
    $("live").className = "live " + (connected ? "live--on" : "live--off");
  });

  socket.on("display.sound", function (d) {
    if (d.muted) mutedDisplays.set(d.key, d);
    else mutedDisplays.delete(d.key);
    renderMuted();
  });

  floor.load(data.snapshot);
  loadMuted(data.snapshot.muted_displays);
  renderAll();
  loadAlerts();
  loadFigures();
  loadNoShows();
  window.setInterval(tickTimers, 1000);
  window.setInterval(loadAlerts, 15000);
  window.setInterval(loadFigures, 60000);
})();
