/* The officer console: the current ticket with its timer, the actions and their shortcuts, the
   live waiting list, the SOP of the service being given and today's own figures. Every action goes
   through the JSON API, which decides what is allowed; this page only reflects the answer. */
(function () {
  "use strict";

  var S = window.Staff;
  var data = S.readData("console-data");
  var strings = data.strings;
  var clock = new S.ServerClock(data.server_now);
  var api = new S.Api(data.urls.api, data.urls.login);
  var floor = new S.Floor();
  var counter = data.counter;
  var services = new Map(data.services.map(function (s) { return [s.id, s]; }));
  var counterServices = data.counter_service_ids;
  var competences = data.competences;
  var busy = false;

  var $ = function (id) { return document.getElementById(id); };
  var buttons = {};
  document.querySelectorAll("[data-action]").forEach(function (b) { buttons[b.dataset.action] = b; });

  function serviceName(id) {
    var s = services.get(id);
    return s ? s.code + " · " + s.name : "?";
  }

  function say(text, kind) {
    var box = $("message");
    box.textContent = text || "";
    box.className = "message" + (kind ? " message--" + kind : "");
  }

  // --- what is at this counter ---

  function currentTicket() {
    return floor.list(function (t) {
      return t.counter && t.counter.id === counter.id && (t.status === "called" || t.status === "serving");
    })[0] || null;
  }

  function heldHere() {
    return floor.list(function (t) { return t.status === "held" && t.counter && t.counter.id === counter.id; })
      .sort(function (a, b) { return a.id - b.id; });
  }

  function waitingHere() {
    return floor.list(function (t) { return t.status === "waiting" && counterServices.indexOf(t.service.id) >= 0; })
      .sort(S.Floor.byCallOrder);
  }

  // --- rendering ---

  function renderCurrent() {
    var ticket = currentTicket();
    var box = $("current");
    box.replaceChildren();
    if (!ticket) {
      box.appendChild(S.el("p", { className: "current__none", text: strings.none }));
    } else {
      var waited = S.minutesBetween(ticket.queued_at, ticket.called_at);
      box.appendChild(S.el("div", { className: "current__number", id: "current-number", text: ticket.number }));
      box.appendChild(S.el("div", { className: "current__service", text: serviceName(ticket.service.id) }));
      var facts = S.el("div", { className: "current__facts" }, [
        S.el("span", { className: "badge badge--" + ticket.status, id: "current-status", text: strings[ticket.status] || ticket.status }),
        ticket.priority ? S.el("span", { className: "badge badge--priority", text: strings.priority }) : null,
        S.el("span", { className: "muted", text: strings.waited + " " + S.wholeMinutes(waited) + " " + strings.min }),
        ticket.recall_count ? S.el("span", { className: "muted", text: "↻ " + ticket.recall_count + "/" + data.max_recalls }) : null,
      ]);
      box.appendChild(facts);
      if (ticket.transfer_note) {
        box.appendChild(S.el("p", { className: "current__note" }, [
          S.el("strong", { text: strings.transfer_note + ": " }), ticket.transfer_note,
        ]));
      }
    }
    renderSop(ticket);
    renderTimer();
    renderButtons();
  }

  function renderTimer() {
    var ticket = currentTicket();
    var timer = $("timer");
    if (!ticket) {
      timer.className = "timer timer--idle";
      $("timer-value").textContent = "--:--";
      $("timer-label").textContent = "";
      return;
    }
    var standard = ticket.standard_minutes;
    if (ticket.status === "called") {
      timer.className = "timer timer--called";
      $("timer-value").textContent = S.clockText(clock.minutesSince(ticket.called_at));
      $("timer-label").textContent = strings.called;
      return;
    }
    // serving_since, not started_at: a visit resumed after a hold shows only the time served.
    var elapsed = clock.minutesSince(ticket.serving_since);
    timer.className = "timer timer--" + S.timerState(elapsed, standard, data.amber_share);
    timer.dataset.state = S.timerState(elapsed, standard, data.amber_share);
    $("timer-value").textContent = S.clockText(elapsed);
    $("timer-label").textContent = strings.serving + " · " + strings.standard + " " + standard + " " + strings.min;
  }

  function renderSop(ticket) {
    var shown = false;
    document.querySelectorAll(".sop__panel").forEach(function (panel) {
      var match = !!ticket && Number(panel.dataset.serviceId) === ticket.service.id;
      panel.hidden = !match;
      shown = shown || match;
    });
    $("sop-none").hidden = shown;
  }

  function renderWaiting() {
    var waiting = waitingHere();
    var body = $("waiting-list").querySelector("tbody");
    body.replaceChildren();
    waiting.forEach(function (t) {
      var mine = competences.indexOf(t.service.id) >= 0;
      body.appendChild(S.el("tr", { className: mine ? "" : "list__row--off", "data-ticket-id": t.id }, [
        S.el("td", { className: "list__number" }, [
          S.el("span", { "data-number": t.number, text: t.number }),
          t.priority ? S.el("span", { className: "badge badge--priority badge--small", title: strings.priority, text: "P" }) : null,
        ]),
        S.el("td", { text: t.service.code + " · " + t.service.name + (mine ? "" : " (" + strings.not_competent + ")") }),
        S.el("td", { className: "list__minutes", "data-since": t.queued_at, text: S.wholeMinutes(clock.minutesSince(t.queued_at)) + " " + strings.min }),
      ]));
    });
    $("waiting-empty").hidden = waiting.length > 0;
    $("waiting-list").hidden = waiting.length === 0;
    $("waiting-total").textContent = waiting.length;
    document.querySelectorAll("#waiting-counts [data-service-id]").forEach(function (item) {
      var id = Number(item.dataset.serviceId);
      item.querySelector(".counts__n").textContent = waiting.filter(function (t) { return t.service.id === id; }).length;
    });
    renderHeld();
    renderButtons();
  }

  function renderHeld() {
    var list = $("held-list");
    list.replaceChildren();
    var held = heldHere();
    if (!held.length) list.appendChild(S.el("li", { className: "muted", text: strings.no_held }));
    held.forEach(function (t) {
      var resume = S.el("button", { type: "button", className: "btn btn--small", text: strings.resume });
      resume.addEventListener("click", function () { act("resume", t); });
      list.appendChild(S.el("li", {}, [S.el("strong", { text: t.number }), " " + serviceName(t.service.id) + " ", resume]));
    });
  }

  function renderCounter() {
    $("counter-status").textContent = strings.status[counter.status] || counter.status;
    $("counter-status").className = "badge badge--" + counter.status;
    var onBreak = counter.status === "break";
    $("break-banner").hidden = !onBreak;
    buttons["break"].hidden = onBreak;
    $("back-form").hidden = !onBreak;
    renderButtons();
  }

  function renderButtons() {
    var ticket = currentTicket();
    var open = counter.status === "open";
    var status = ticket ? ticket.status : null;
    var held = heldHere();
    var enabled = {
      "call-next": open && !ticket,
      recall: status === "called",
      start: status === "called",
      finish: status === "serving",
      "no-show": status === "called",
      transfer: status === "called" || status === "serving",
      hold: status === "called" || status === "serving" || (open && !ticket && held.length > 0),
      cancel: status === "called" || (!ticket && held.length > 0),
      "call-specific": open && !ticket && waitingHere().some(function (t) { return competences.indexOf(t.service.id) >= 0; }),
    };
    Object.keys(enabled).forEach(function (action) {
      buttons[action].disabled = busy || !enabled[action];
    });
    $("hold-label").textContent = ticket || !held.length ? buttons.hold.dataset.holdText : strings.resume;
  }
  buttons.hold.dataset.holdText = $("hold-label").textContent;

  function renderLive(connected) {
    $("live").textContent = connected ? strings.online : strings.offline;
    $("live").className = "live " + (connected ? "live--on" : "live--off");
  }

  function refreshFigures() {
    api.get("/figures/me").then(function (result) {
      if (!result.ok) return;
      var f = result.body;
      var put = function (name, text) { document.querySelector('[data-figure="' + name + '"]').textContent = text; };
      put("served", S.number(f.served));
      put("no_shows", S.number(f.no_shows));
      put("mean_service_minutes", f.mean_service_minutes === null ? "—" : S.number(f.mean_service_minutes) + " " + strings.min);
      put("within_standard_share", f.within_standard_share === null ? "—" : Math.round(f.within_standard_share * 100) + "%");
    });
  }

  // --- actions ---

  function run(promise, after) {
    busy = true;
    renderButtons();
    return promise.then(function (result) {
      busy = false;
      if (result.ok) {
        say("");
        if (result.body && result.body.number) floor.putTicket(result.body);
        if (after) after(result.body);
      } else {
        say(S.errorText(result, strings), "bad");
      }
      renderCurrent();
      renderWaiting();
      return result;
    });
  }

  function act(action, ticket, body) {
    var path = action === "call-next" ? "/counters/" + counter.id + "/call-next" : "/tickets/" + ticket.id + "/" + action;
    var after = null;
    if (action === "finish" || action === "no-show" || action === "transfer") {
      after = function (t) { say(t.number + " · " + (action === "finish" ? strings.done : strings[t.status] || t.status), "ok"); refreshFigures(); };
    }
    if (action === "resume") body = { counter_id: counter.id };
    return run(api.post(path, body), after);
  }

  var handlers = {
    "call-next": function () { act("call-next"); },
    recall: function (t) { act("recall", t); },
    start: function (t) { act("start", t); },
    finish: function (t) { act("finish", t); },
    "no-show": function (t) { act("no-show", t); },
    transfer: function () { openTransfer(); },
    hold: function (t) {
      if (t) act("hold", t);
      else if (heldHere().length) act("resume", heldHere()[0]);
    },
    "call-specific": function () { openCall(); },
    cancel: function (t) {
      var target = t || heldHere()[0];
      if (target) cancelDialog.open(target);
    },
    break: function () {
      run(api.post("/counters/" + counter.id + "/break"), function (c) { counter = c; renderCounter(); });
    },
    close: function () {
      if (!window.confirm(strings.confirm_close)) return;
      run(api.post("/counters/" + counter.id + "/close"), function () { window.location.assign(data.urls.home); });
    },
  };

  Object.keys(handlers).forEach(function (action) {
    if (!buttons[action]) return;
    buttons[action].addEventListener("click", function () {
      if (buttons[action].disabled) return;
      handlers[action](currentTicket());
    });
  });

  S.onShortcut(function (key) {
    if (key === "b") {
      if (counter.status === "break") $("back-form").requestSubmit();
      else buttons["break"].click();
      return true;
    }
    var button = document.querySelector('[data-key="' + key + '"]');
    if (!button) return false;
    if (!button.disabled) button.click();
    return true;
  });

  // --- today's no-shows: a late visitor goes back in line (the server applies the office's rule) ---

  var noShows = [];

  function loadNoShows() {
    api.get("/no-shows").then(function (result) {
      if (!result.ok) return;
      noShows = result.body.filter(function (t) {
        return counterServices.indexOf(t.service.id) >= 0 && competences.indexOf(t.service.id) >= 0;
      });
      renderNoShows();
    });
  }

  function renderNoShows() {
    var list = $("noshow-list");
    list.replaceChildren();
    if (!noShows.length) list.appendChild(S.el("li", { className: "muted", text: strings.no_no_shows }));
    noShows.forEach(function (t) {
      var back = S.el("button", { type: "button", className: "btn btn--small", "data-late": t.number, text: strings.late_back });
      back.addEventListener("click", function () {
        run(api.post("/tickets/" + t.id + "/requeue"), function () {
          say(t.number + " " + strings.back_in_line, "ok");
          loadNoShows();
        });
      });
      list.appendChild(S.el("li", { "data-ticket-id": t.id }, [
        S.el("strong", { text: t.number }),
        " " + serviceName(t.service.id) + " · " + S.timeOfDay(t.called_at, data.time_zone) + " ",
        back,
      ]));
    });
  }

  // --- dialogs ---

  var cancelDialog = new S.CancelDialog(api, function (t, result) {
    if (result.ok) {
      floor.putTicket(result.body);
      say(t.number + " · " + strings.cancelled, "ok");
    } else say(t.number + ": " + S.errorText(result, strings), "bad");
    renderCurrent();
    renderWaiting();
  });

  function openTransfer() {
    var ticket = currentTicket();
    if (!ticket) return;
    var select = $("transfer-service");
    Array.prototype.forEach.call(select.options, function (option) {
      option.disabled = Number(option.value) === ticket.service.id;
    });
    var first = Array.prototype.find.call(select.options, function (o) { return !o.disabled; });
    if (first) select.value = first.value;
    $("transfer-note").value = "";
    $("transfer-dialog").showModal();
    select.focus();
  }

  $("transfer-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var ticket = currentTicket();
    $("transfer-dialog").close();
    if (!ticket) return;
    var body = { to_service_id: Number($("transfer-service").value) };
    var note = $("transfer-note").value.trim();
    if (note) body.note = note;
    act("transfer", ticket, body);
  });

  function openCall() {
    var select = $("call-ticket");
    select.replaceChildren();
    waitingHere().filter(function (t) { return competences.indexOf(t.service.id) >= 0; }).forEach(function (t) {
      var minutes = S.wholeMinutes(clock.minutesSince(t.queued_at));
      select.appendChild(S.el("option", { value: t.id, text: t.number + " · " + t.service.name + " · " + minutes + " " + strings.min }));
    });
    if (!select.options.length) { say(strings.choose_ticket, "bad"); return; }
    $("call-reason").value = "";
    $("call-dialog").showModal();
    select.focus();
  }

  $("call-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var reason = $("call-reason").value.trim();
    if (!reason) { $("call-reason").focus(); return; }
    $("call-dialog").close();
    run(api.post("/counters/" + counter.id + "/call", { ticket_id: Number($("call-ticket").value), reason: reason }));
  });

  document.querySelectorAll("dialog [data-close]").forEach(function (button) {
    button.addEventListener("click", function () { button.closest("dialog").close(); });
  });

  // --- live ---

  S.connectFloor(floor, function (name, payload) {
    if (name === "snapshot" || name === "ticket.no_show" || name === "ticket.requeued" || name === "ticket.cancelled") loadNoShows();
    if (name === "counter.changed" || name === "snapshot") {
      var mine = floor.counters.get(counter.id);
      if (mine) {
        if (mine.officer_id !== data.user.id || mine.status === "closed") {
          say(strings.closed, "bad");
          window.setTimeout(function () { window.location.assign(data.urls.home); }, 1500);
        }
        counter = mine;
        renderCounter();
      }
    }
    renderCurrent();
    renderWaiting();
  }, renderLive);

  window.setInterval(function () {
    renderTimer();
    document.querySelectorAll("#waiting-list [data-since]").forEach(function (cell) {
      cell.textContent = S.wholeMinutes(clock.minutesSince(cell.dataset.since)) + " " + strings.min;
    });
  }, 1000);

  floor.load(data.snapshot);
  loadNoShows();
  renderCounter();
  renderCurrent();
  renderWaiting();
})();
