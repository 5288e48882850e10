/* The visitor's phone page: one ticket, live. Socket.IO first (snapshot, then ticket.updated and
   queue.changed); when the socket is down, GET /api/v1/tickets/<token> every few seconds. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("visitor-config").textContent);
  var S = config.strings;
  var ticket = config.ticket;
  var countersOpen = null; // counters open for the ticket's service, once a queue line told it
  var answered = config.survey.answered;
  var expired = config.survey.expired;
  var dismissedCall = null; // "<called_at>/<recall_count>" the visitor has acknowledged
  var pollTimer = null;
  var socket = null;
  var chime = null;

  function $(id) { return document.getElementById(id); }

  function format(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] === undefined ? "" : values[key];
    });
  }

  function serviceName(service) {
    return config.locale === "en" && service.name_en ? service.name_en : service.name;
  }

  function callKey(t) { return (t.called_at || "") + "/" + t.recall_count; }

  // --- drawing the ticket ---

  function render() {
    document.body.className = "visitor status-" + ticket.status;
    $("number").textContent = ticket.number;
    $("service").textContent = serviceName(ticket.service);
    var text = S.status[ticket.status] || ticket.status;
    if ((ticket.status === "called" || ticket.status === "serving") && ticket.counter) {
      text = ticket.status === "called"
        ? format(S.go_to_counter, { number: ticket.counter.number })
        : text + " " + format(S.at_counter, { number: ticket.counter.number });
    }
    $("status-text").textContent = text;
    var waiting = ticket.status === "waiting";
    $("waiting-facts").hidden = !waiting;
    if (waiting) {
      $("ahead").textContent = ticket.people_ahead > 0 ? format(S.people, { count: ticket.people_ahead }) : S.you_are_next;
      $("estimate").textContent = countersOpen === 0 ? S.no_counter_open
        : ticket.people_ahead > 0 ? "± " + format(S.minutes, { minutes: ticket.estimated_wait_minutes })
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
    var overlay = $("called");
    if (ticket.status !== "called" || !ticket.counter || dismissedCall === callKey(ticket)) {
      overlay.hidden = true;
      return;
    }
    $("called-number").textContent = ticket.number;
    $("called-go").textContent = format(S.go_to_counter, { number: ticket.counter.number });
    $("called-recall").hidden = !(ticket.recall_count > 0);
    overlay.hidden = false;
  }

  function setLive(mode) {
    var live = $("live");
    live.className = "v-live " + mode;
    $("live-text").textContent = mode === "live" ? S.live : mode === "polling" ? S.polling : S.offline;
  }

  // --- the alert when called: full screen, chime, vibration ---

  function alertVisitor() {
    if (!chime) chime = new Audio(config.urls.chime);
    try {
      chime.currentTime = 0;
      var played = chime.play();
      if (played && played.catch) played.catch(function () {});
    } catch (e) { /* no sound on this phone: the screen still says it */ }
    if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]);
  }

  // --- applying news about the ticket ---

  function update(next) {
    var previous = ticket;
    ticket = next;
    var newCall = next.status === "called" && (
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
    render();
  }

  function applyQueue(line) {
    if (!line || line.service_id !== ticket.service.id) return;
    countersOpen = line.counters_open; // none open: the estimate says so instead of a number
    if (ticket.status !== "waiting") return;
    var place = line.waiting_numbers.indexOf(ticket.number);
    if (place < 0) return; // our own ticket.updated is on its way
    ticket.people_ahead = place;
    ticket.estimated_wait_minutes = place > 0 ? Math.ceil(place * line.minutes_per_person - 1e-9) : 0;
    render();
  }

  function showNote(text) {
    $("note").textContent = text;
    $("note").hidden = false;
  }

  // --- polling, only while the socket is down ---

  function poll() {
    fetch(config.urls.ticket, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!socket || !socket.connected) setLive("polling");
        update(data);
      })
      .catch(function () { setLive("offline"); });
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

  function connect() {
    if (typeof window.io !== "function") {
      startPolling();
      return;
    }
    socket = window.io({ auth: { ticket: config.token }, reconnectionDelayMax: 10000 });
    socket.on("connect", function () {
      stopPolling();
      setLive("live");
    });
    socket.on("disconnect", function () { startPolling(); });
    socket.on("connect_error", function () { startPolling(); });
    socket.on("snapshot", function (snapshot) {
      if (snapshot.kind !== "ticket") return;
      update(snapshot.ticket);
      applyQueue(snapshot.queue);
    });
    socket.on("ticket.updated", update);
    socket.on("queue.changed", applyQueue);
  }

  // --- the visitor's own actions: sound on, cancel, survey ---

  $("sound").addEventListener("click", function () {
    alertVisitor(); // a tap unlocks sound on phones that refuse to play without one
  });

  $("called-ok").addEventListener("click", function () {
    dismissedCall = callKey(ticket);
    renderCall();
  });

  $("cancel").addEventListener("click", function () {
    $("cancel-confirm").hidden = false;
    $("cancel").hidden = true;
  });
  $("cancel-no").addEventListener("click", function () {
    $("cancel-confirm").hidden = true;
    $("cancel").hidden = false;
  });
  $("cancel-yes").addEventListener("click", function () {
    $("cancel-yes").disabled = true;
    fetch(config.urls.withdraw, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        $("cancel-yes").disabled = false;
        $("cancel-confirm").hidden = true;
        $("cancel").hidden = false;
        if (result.ok) {
          update(result.data);
        } else {
          $("cancel-error").textContent = S.cancel_failed;
          $("cancel-error").hidden = false;
          poll();
        }
      })
      .catch(function () {
        $("cancel-yes").disabled = false;
        $("cancel-error").textContent = S.cancel_failed;
        $("cancel-error").hidden = false;
      });
  });

  $("survey-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var answers = {};
    var missing = [];
    Array.prototype.forEach.call(document.querySelectorAll(".v-question"), function (fieldset) {
      var code = fieldset.dataset.code;
      var chosen = fieldset.querySelector("input:checked");
      fieldset.classList.toggle("missing", !chosen);
      if (chosen) answers[code] = parseInt(chosen.value, 10);
      else missing.push(fieldset);
    });
    var error = $("survey-error");
    if (missing.length) {
      error.textContent = S.survey_incomplete;
      error.hidden = false;
      missing[0].scrollIntoView({ behavior: "smooth", block: "center" });
      return;
    }
    error.hidden = true;
    $("survey-submit").disabled = true;
    var comment = $("comment").value.trim();
    var profile = {};
    Array.prototype.forEach.call(document.querySelectorAll("[data-profile]"), function (select) {
      profile[select.dataset.profile] = select.value || null;
    });
    var complaint = $("is-complaint");
    fetch(config.urls.survey, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        answers: answers,
        comment: comment || null,
        profile: profile,
        is_complaint: Boolean(complaint && complaint.checked && comment),
      }),
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .then(function (result) {
        $("survey-submit").disabled = false;
        var code = result.data && result.data.error && result.data.error.code;
        if (result.status === 201 || code === "survey_already_answered") {
          answered = true;
          render();
          window.scrollTo(0, 0);
        } else if (code === "survey_expired") {
          expired = true;
          render();
        } else {
          error.textContent = (result.data && result.data.error && result.data.error.message) || S.survey_failed;
          error.hidden = false;
        }
      })
      .catch(function () {
        $("survey-submit").disabled = false;
        error.textContent = S.survey_failed;
        error.hidden = false;
      });
  });

  Array.prototype.forEach.call(document.querySelectorAll(".v-question input"), function (input) {
    input.addEventListener("change", function () {
      input.closest(".v-question").classList.remove("missing");
    });
  });

  setLive("polling");
  render();
  if (ticket.status === "called") alertVisitor();
  connect();
})();
