/* Shared by the officer console and the supervisor floor: the JSON API, the server's clock, the
   staff Socket.IO room and a few formatting helpers. No framework: the pages must run on a
   mini-PC's Chromium without internet. */
(function () {
  "use strict";

  var TICKET_EVENTS = [
    "ticket.issued", "ticket.called", "ticket.recalled", "ticket.started", "ticket.finished",
    "ticket.no_show", "ticket.requeued", "ticket.transferred", "ticket.held", "ticket.resumed",
    "ticket.cancelled",
  ];
  var OPEN_STATUSES = ["waiting", "called", "serving", "held"];

  function readData(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  /* The server's clock, so waiting times agree with the server whatever the PC's clock says. */
  function ServerClock(serverNowIso) {
    this.offset = Date.parse(serverNowIso) - Date.now();
  }
  ServerClock.prototype.now = function () { return Date.now() + this.offset; };
  ServerClock.prototype.minutesSince = function (iso) {
    if (!iso) return 0;
    return Math.max(0, (this.now() - Date.parse(iso)) / 60000);
  };

  function minutesBetween(fromIso, toIso) {
    if (!fromIso || !toIso) return 0;
    return Math.max(0, (Date.parse(toIso) - Date.parse(fromIso)) / 60000);
  }

  /* 125.5 seconds -> "2:05"; an hour or more -> "1:02:05". */
  function clockText(minutes) {
    var total = Math.floor(minutes * 60);
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }

  function wholeMinutes(minutes) { return Math.floor(minutes); }

  /* A number in the page's language (<html lang>): 4,5 in Indonesian, 4.5 in English, as the
     server's format_decimal writes them. */
  function number(value) {
    if (value === null || value === undefined) return "—";
    var lang = document.documentElement.lang || "id";
    return new Intl.NumberFormat(lang === "en" ? "en-US" : "id-ID", { maximumFractionDigits: 2 }).format(value);
  }

  /* The running timer's colour: exactly the standard time is still on time; amberShare (from the
     server, domain/alerts.py AMBER_SHARE) of it turns amber. Tested in tests/e2e/test_staff_helpers.py. */
  function timerState(elapsedMinutes, standardMinutes, amberShare) {
    if (elapsedMinutes > standardMinutes) return "red";
    if (elapsedMinutes >= standardMinutes * amberShare) return "amber";
    return "green";
  }

  function timeOfDay(iso, timeZone) {
    if (!iso) return "";
    try {
      return new Intl.DateTimeFormat("id-ID", { hour: "2-digit", minute: "2-digit", timeZone: timeZone })
        .format(new Date(iso)).replace(".", ":");
    } catch (e) {
      return iso.slice(11, 16);
    }
  }

  /* fetch() with JSON both ways. Resolves to {ok, status, body}; an ended session goes to the login page. */
  function Api(base, loginUrl) {
    this.base = base;
    this.loginUrl = loginUrl;
  }
  Api.prototype.request = function (method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    var loginUrl = this.loginUrl;
    return fetch(this.base + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (response.status === 401 && loginUrl) window.location.assign(loginUrl);
        return { ok: response.ok, status: response.status, body: json };
      });
    }, function () {
      return { ok: false, status: 0, body: { error: { code: "offline", message: "offline" } } };
    });
  };
  Api.prototype.get = function (path) { return this.request("GET", path); };
  Api.prototype.post = function (path, body) { return this.request("POST", path, body || {}); };

  /* The floor as the staff room sends it: tickets, queues and counters, kept current by events. */
  function Floor() {
    this.tickets = new Map();
    this.queues = new Map();
    this.counters = new Map();
  }
  Floor.prototype.load = function (snapshot) {
    var self = this;
    this.tickets.clear(); this.queues.clear(); this.counters.clear();
    (snapshot.tickets || []).forEach(function (t) { self.putTicket(t); });
    (snapshot.queues || []).forEach(function (q) { self.queues.set(q.service_id, q); });
    (snapshot.counters || []).forEach(function (c) { self.counters.set(c.id, c); });
  };
  Floor.prototype.putTicket = function (ticket) {
    if (OPEN_STATUSES.indexOf(ticket.status) >= 0) this.tickets.set(ticket.id, ticket);
    else this.tickets.delete(ticket.id);
  };
  Floor.prototype.list = function (filter) {
    var out = [];
    this.tickets.forEach(function (t) { if (filter(t)) out.push(t); });
    return out;
  };
  /* Priority first, then arrival: the order a queue is called in. */
  Floor.byCallOrder = function (a, b) {
    if (a.priority !== b.priority) return a.priority ? -1 : 1;
    if (a.queued_at !== b.queued_at) return Date.parse(a.queued_at) - Date.parse(b.queued_at);
    return a.id - b.id;
  };

  /* Join the staff room with the session cookie; every (re)connect brings a full snapshot. */
  function connectFloor(floor, onChange, onStatus) {
    var socket = window.io({ transports: ["websocket", "polling"] });
    /* The server drops the socket when the person's sessions end (logout elsewhere, password reset,
       deactivation): then the login page, else connect again. */
    function checkSession() {
      window.fetch("/api/v1/auth/me", { credentials: "same-origin" }).then(function (response) {
        if (response.status === 401) {
          window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
        } else if (!socket.connected) {
          socket.connect();
        }
      }).catch(function () { /* offline: socket.io retries by itself */ });
    }
    socket.on("connect", function () { onStatus(true); });
    socket.on("disconnect", function (reason) {
      onStatus(false);
      if (reason === "io server disconnect") checkSession();
    });
    socket.on("connect_error", function () { onStatus(false); });
    socket.on("snapshot", function (snapshot) {
      if (snapshot.kind !== "staff") return;
      floor.load(snapshot);
      onChange("snapshot", snapshot);
    });
    TICKET_EVENTS.forEach(function (name) {
      socket.on(name, function (ticket) { floor.putTicket(ticket); onChange(name, ticket); });
    });
    socket.on("queue.changed", function (line) { floor.queues.set(line.service_id, line); onChange("queue.changed", line); });
    socket.on("counter.changed", function (counter) { floor.counters.set(counter.id, counter); onChange("counter.changed", counter); });
    return socket;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else if (key.indexOf("data-") === 0 || key === "title" || key === "type" || key === "value" || key.indexOf("aria-") === 0) {
        node.setAttribute(key, attrs[key]);
      } else node[key] = attrs[key];
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function errorText(result, strings) {
    var error = (result.body && result.body.error) || {};
    return (strings.errors && strings.errors[error.code]) || error.message || strings.failed;
  }

  /* Keyboard shortcuts, except while typing or while a dialog is open. */
  function onShortcut(handler) {
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
      var target = event.target;
      var tag = target && target.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
      if (document.querySelector("dialog[open]")) return;
      if (handler(event.key.toLowerCase(), event)) event.preventDefault();
    });
  }

  // The cancel dialog (templates/officer/_cancel_dialog.html): a reason from the office's list is
  // required; done(ticket, result) gets the API's answer.
  function CancelDialog(api, done) {
    var dialog = document.getElementById("cancel-dialog");
    var reason = document.getElementById("cancel-reason");
    var note = document.getElementById("cancel-note");
    var ticket = null;
    this.open = function (t) {
      ticket = t;
      document.getElementById("cancel-number").textContent = t.number;
      reason.value = "";
      note.value = "";
      dialog.showModal();
      reason.focus();
    };
    document.getElementById("cancel-form").addEventListener("submit", function (event) {
      event.preventDefault();
      if (!reason.value) { reason.focus(); return; }
      dialog.close();
      if (!ticket) return;
      var body = { reason: reason.value };
      if (note.value.trim()) body.note = note.value.trim();
      var t = ticket;
      ticket = null;
      api.post("/tickets/" + t.id + "/cancel", body).then(function (result) { done(t, result); });
    });
  }

  window.Staff = {
    CancelDialog: CancelDialog,
    readData: readData,
    ServerClock: ServerClock,
    Api: Api,
    Floor: Floor,
    connectFloor: connectFloor,
    minutesBetween: minutesBetween,
    clockText: clockText,
    wholeMinutes: wholeMinutes,
    number: number,
    timerState: timerState,
    timeOfDay: timeOfDay,
    el: el,
    errorText: errorText,
    onShortcut: onShortcut,
  };
})();
