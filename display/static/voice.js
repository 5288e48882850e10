/* The display's voice: a chime and the call, played as a chain of recorded clips, one call at a time.
 *
 * Clips are fetched and decoded once (Web Audio), then played back to back, so a sentence built of
 * words sounds continuous and two calls never overlap. A missing clip is read by the browser's
 * speech synthesis instead (when it has one); a missing bell is synthesised as a tone.
 * Every sentence played is recorded in window.__spoken (event ids, numbers, text, clip URLs) for tests
 * and support, and <body data-spoken> counts them; window.__voiceLog has every step of the player.
 * When calls come faster than they can be said, the backlog policy of docs/display.md applies.
 */
import { clipPlayer } from "/static/common/audio.js";
import { request } from "/static/common/net.js";

const PAUSE_BETWEEN_CALLS_MS = 700;
const MAX_AGE_S = 30; // a call not begun within this many seconds of being made is not said at all
const BATCH = 4; // at most this many numbers in one condensed sentence

window.__spoken = window.__spoken || [];
// The clip player's event log, for tests and support: queued, dropped (with a reason), start, clip,
// end and idle, each with the time (performance.now()) and the calls concerned.
window.__voiceLog = window.__voiceLog || [];

function log(type, calls, extra) {
  window.__voiceLog.push({
    type,
    at: performance.now(),
    event_ids: calls.map((call) => call.event_id),
    numbers: calls.map((call) => call.number),
    ...(extra || {}),
  });
  // Waitable from a test without timers: how many calls were queued, and whether the player is idle.
  if (type === "queued") document.body.dataset.voiceQueued = String(Number(document.body.dataset.voiceQueued || 0) + 1);
  if (type === "start" || type === "idle") document.body.dataset.voice = type === "idle" ? "idle" : "busy";
}

function record(entry) {
  entry.started = performance.now();
  window.__spoken.push(entry);
  document.body.dataset.spoken = String(window.__spoken.length);
  return entry;
}

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createVoice(options) {
  const announcementUrl = options.announcementUrl;
  const onNeedsPermission = options.onNeedsPermission || function () {};
  const fallback = options.fallback; // call -> {text, language}, when the server cannot say how to read it
  const withAgency = options.withAgency || (() => false); // a hall of agencies: say the counter's agency
  const ownLanguage = options.ownLanguage || (() => null); // an agency's TV: its agency's language, if any
  const { audioContext, load, play } = clipPlayer();
  const queue = [];
  let busy = false;

  /* Sound is on when the browser lets audio run: at once on a TV started as deploy/ starts Chromium
   * (--autoplay-policy=no-user-gesture-required), after a touch elsewhere. */
  function enabled() {
    const ctx = audioContext();
    return Boolean(ctx) && ctx.state === "running";
  }

  /* Called from the "Enable sound" button: a user gesture, so the browser lets audio start. */
  function enable() {
    const ctx = audioContext();
    return ctx ? ctx.resume().then(report) : Promise.resolve();
  }

  let reported = null;
  function report() {
    const muted = !enabled();
    document.body.dataset.sound = muted ? "muted" : "on";
    if (muted !== reported) {
      reported = muted;
      onNeedsPermission(muted);
    }
  }

  /* On load: no click is needed where the browser allows sound. Where it does not, the page says
   * so (onNeedsPermission(true)) until a touch or a key unlocks it. */
  function start() {
    const ctx = audioContext();
    if (!ctx) {
      report();
      return;
    }
    ctx.onstatechange = report;
    ctx.resume().then(report, report);
    report();
    // The state a policy leaves a new context in is settled within a moment: say it then too.
    setTimeout(report, 1000);
    const unlock = () => ctx.resume().then(report, report);
    document.addEventListener("pointerdown", unlock);
    document.addEventListener("keydown", unlock);
  }

  function muted() {
    return reported === true;
  }

  function tone() {
    const ctx = audioContext();
    const notes = [784, 659, 523];
    notes.forEach((frequency, i) => {
      const oscillator = ctx.createOscillator();
      const gain = ctx.createGain();
      const at = ctx.currentTime + i * 0.5;
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.3, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + (i === 2 ? 1.0 : 0.5));
      oscillator.connect(gain).connect(ctx.destination);
      oscillator.start(at);
      oscillator.stop(at + 1.0);
    });
    return wait(2000);
  }

  function speakText(text, language) {
    if (!text || !("speechSynthesis" in window)) return Promise.resolve();
    return new Promise((resolve) => {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = language === "en" ? "en-US" : "id-ID";
      utterance.rate = 0.9;
      const guard = setTimeout(resolve, 2000 + text.length * 150);
      utterance.onend = utterance.onerror = () => {
        clearTimeout(guard);
        resolve();
      };
      window.speechSynthesis.speak(utterance);
    });
  }

  /* The announcement's query: the TV's agency's language when it has one of its own; without, the
   * server says the site's, so a change of the site's language is heard at the next call. */
  function announcementQuery(pairs) {
    const query = new URLSearchParams(pairs);
    if (ownLanguage()) query.append("language", ownLanguage());
    return query;
  }

  /* Plays one batch (one call, or a few condensed into one sentence) and records it. */
  async function announce(batch) {
    const pairs = [];
    batch.forEach((call) => {
      pairs.push(["number", call.number], ["counter", String(call.counter.number)]);
      if (withAgency()) pairs.push(["agency", call.counter.agency ? call.counter.agency.code : ""]);
    });
    const query = announcementQuery(pairs);
    const ids = batch.map((call) => call.event_id);
    const numbers = batch.map((call) => call.number);
    let said;
    try {
      const response = await request(`${announcementUrl}?${query}`);
      said = response.ok ? await response.json() : null;
    } catch (error) {
      said = null;
    }
    if (!said) {
      const plain = batch.map((call) => fallback(call));
      const text = plain.map((one) => one.text).join(". ");
      const entry = record({ event_id: ids[0], event_ids: ids, number: numbers[0], numbers, text, clips: [] });
      log("start", batch, { text });
      await speakText(text, plain[0].language);
      entry.finished = performance.now();
      log("end", batch);
      return;
    }
    const loaded = await Promise.all(said.clips.map((clip) => load(clip.url)));
    const entry = record({
      event_id: ids[0],
      event_ids: ids,
      number: numbers[0],
      numbers,
      text: said.text,
      clips: said.clips.map((clip) => clip.url),
    });
    log("start", batch, { text: said.text });
    let unsaid = [];
    for (let i = 0; i < said.clips.length; i++) {
      const clip = said.clips[i];
      if (loaded[i]) {
        await speakText(unsaid.join(" "), said.language);
        unsaid = [];
        log("clip", batch, { clip: clip.name });
        await play(loaded[i]);
      } else if (clip.name === "bell") {
        await tone();
      } else {
        unsaid.push(clip.text); // missing words are read together, not one robotic word at a time
      }
    }
    await speakText(unsaid.join(" "), said.language);
    entry.finished = performance.now();
    log("end", batch);
  }

  /* The backlog policy (docs/display.md): a call no longer useful is dropped, never spoken late. */
  function prune() {
    const now = performance.now();
    for (let i = queue.length - 1; i >= 0; i--) {
      const call = queue[i];
      if (call.age + (now - call.received) / 1000 > MAX_AGE_S) {
        queue.splice(i, 1);
        log("dropped", [call], { reason: "stale" });
      }
    }
  }

  async function drain() {
    if (busy) return;
    busy = true;
    while (queue.length) {
      prune();
      if (!queue.length) break;
      // The oldest calls first; a burst is condensed into one sentence of at most BATCH numbers.
      const batch = queue.splice(0, BATCH);
      try {
        await announce(batch);
      } catch (error) {
        console.error("call not spoken", batch.map((call) => call.number), error);
      }
      if (queue.length) await wait(PAUSE_BETWEEN_CALLS_MS);
    }
    busy = false;
    log("idle", []);
  }

  /* Queue a call; `age` is how many seconds old it already is (a call missed during a reconnect).
   * A newer call of the same number (a recall, here or at another counter) replaces a waiting one.
   * A display without sound enabled stays silent (calls are not saved up to burst out later). */
  function speak(call, age = 0) {
    if (!enabled()) {
      log("dropped", [call], { reason: "muted" }); // never saved up to burst out when sound comes back
      return;
    }
    const entry = { ...call, received: performance.now(), age };
    for (let i = queue.length - 1; i >= 0; i--) {
      if (queue[i].number === call.number) {
        log("dropped", [queue[i]], { reason: "superseded" });
        queue.splice(i, 1);
      }
    }
    queue.push(entry);
    log("queued", [entry]);
    drain();
  }

  /* Drops the waiting calls `useless` says are no longer worth saying (served, no-show, moved on). */
  function forget(useless, reason) {
    for (let i = queue.length - 1; i >= 0; i--) {
      if (useless(queue[i])) {
        log("dropped", [queue[i]], { reason });
        queue.splice(i, 1);
      }
    }
  }

  /* Fetches and decodes the clips every call needs before the first call, so it starts at once. */
  function warm() {
    if (!audioContext()) return;
    request(`${announcementUrl}?${announcementQuery([["number", "A1234567890"], ["counter", "1"]])}`)
      .then((response) => (response.ok ? response.json() : null))
      .then((said) => said && said.clips.forEach((clip) => load(clip.url)))
      .catch(() => {});
  }

  return { enable, start, speak, forget, warm, enabled, muted };
}
