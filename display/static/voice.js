/* The display's voice: a chime and the call, played as a chain of recorded clips, one call at a time.
 *
 * Clips are fetched and decoded once (Web Audio), then played back to back, so a sentence built of
 * words sounds continuous and two calls never overlap. A missing clip is read by the browser's
 * speech synthesis instead (when it has one); a missing bell is synthesised as a tone.
 * Every call played is recorded in window.__spoken (event id, text, clip URLs) for tests and support,
 * and <body data-spoken> counts them.
 */
(function () {
  "use strict";

  const SOUND_KEY = "servicedesk.display.sound";
  const PAUSE_BETWEEN_CALLS_MS = 700;

  window.__spoken = window.__spoken || [];

  function record(entry) {
    entry.started = performance.now();
    window.__spoken.push(entry);
    document.body.dataset.spoken = String(window.__spoken.length);
    return entry;
  }

  function wait(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  function createVoice(options) {
    const announcementUrl = options.announcementUrl;
    const onNeedsPermission = options.onNeedsPermission || function () {};
    const fallback = options.fallback; // call -> {text, language}, when the server cannot say how to read it
    const buffers = new Map(); // url -> Promise<AudioBuffer|null>
    const queue = [];
    let context = null;
    let busy = false;

    function enabled() {
      return localStorage.getItem(SOUND_KEY) === "on";
    }

    function audioContext() {
      if (!context) {
        const Context = window.AudioContext || window.webkitAudioContext;
        context = Context ? new Context() : null;
      }
      return context;
    }

    /* Called from the "Enable sound" button: a user gesture, so the browser lets audio start. */
    function enable() {
      localStorage.setItem(SOUND_KEY, "on");
      const ctx = audioContext();
      return ctx ? ctx.resume() : Promise.resolve();
    }

    /* On load: a display that was enabled once tries to start alone; if the browser still blocks
     * audio (no kiosk autoplay flag), the button comes back. */
    function start() {
      if (!enabled()) {
        onNeedsPermission(true);
        return;
      }
      const ctx = audioContext();
      if (!ctx) return;
      ctx.resume().catch(() => {});
      setTimeout(() => onNeedsPermission(ctx.state !== "running"), 1000);
      // Any touch or key on the display unlocks audio too.
      const unlock = () => ctx.resume().then(() => onNeedsPermission(ctx.state !== "running"));
      document.addEventListener("pointerdown", unlock);
      document.addEventListener("keydown", unlock);
    }

    function load(url) {
      if (!buffers.has(url)) {
        const ctx = audioContext();
        const pending = fetch(url)
          .then((response) => (response.ok ? response.arrayBuffer() : Promise.reject(response.status)))
          .then((data) => ctx.decodeAudioData(data))
          .catch(() => {
            buffers.delete(url); // try again next time: an office may add its recording meanwhile
            return null;
          });
        buffers.set(url, pending);
      }
      return buffers.get(url);
    }

    function play(buffer) {
      const ctx = audioContext();
      return new Promise((resolve) => {
        const source = ctx.createBufferSource();
        source.buffer = buffer;
        source.connect(ctx.destination);
        // A suspended context never ends its sources: do not let one stuck clip stop every call after it.
        const guard = setTimeout(resolve, buffer.duration * 1000 + 1500);
        source.onended = () => {
          clearTimeout(guard);
          resolve();
        };
        source.start();
      });
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

    function say(text, language) {
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

    async function announce(call) {
      const query = new URLSearchParams({ number: call.number, counter: String(call.counter.number) });
      let said;
      try {
        const response = await fetch(`${announcementUrl}?${query}`);
        said = response.ok ? await response.json() : null;
      } catch (error) {
        said = null;
      }
      if (!said) {
        const plain = fallback(call);
        const entry = record({ event_id: call.event_id, number: call.number, text: plain.text, clips: [] });
        await say(plain.text, plain.language);
        entry.finished = performance.now();
        return;
      }
      const entry = record({
        event_id: call.event_id,
        number: call.number,
        text: said.text,
        clips: said.clips.map((clip) => clip.url),
      });
      const loaded = await Promise.all(said.clips.map((clip) => load(clip.url)));
      let unsaid = [];
      for (let i = 0; i < said.clips.length; i++) {
        const clip = said.clips[i];
        if (loaded[i]) {
          await say(unsaid.join(" "), said.language);
          unsaid = [];
          await play(loaded[i]);
        } else if (clip.name === "bell") {
          await tone();
        } else {
          unsaid.push(clip.text); // missing words are read together, not one robotic word at a time
        }
      }
      await say(unsaid.join(" "), said.language);
      entry.finished = performance.now();
    }

    async function drain() {
      if (busy) return;
      busy = true;
      while (queue.length) {
        const call = queue.shift();
        try {
          await announce(call);
        } catch (error) {
          console.error("call not spoken", call.number, error);
        }
        if (queue.length) await wait(PAUSE_BETWEEN_CALLS_MS);
      }
      busy = false;
    }

    /* Queue a call; it is spoken after the ones before it. A display without sound enabled stays silent
     * (calls are not saved up to burst out when sound is turned on). */
    function speak(call) {
      if (!enabled() || !audioContext()) return;
      queue.push(call);
      drain();
    }

    return { enable, start, speak, enabled };
  }

  window.DisplayVoice = { create: createVoice };
})();
