/* Recorded clips (servicedesk/ops/announce.py, served at /display/clips/) played back to back with Web
   Audio: the display's calls and the kiosk's spoken guidance use the same player. */

import { request } from "./net.js";

export function clipPlayer() {
  let context = null;
  const buffers = new Map(); // url -> Promise<AudioBuffer|null>

  function audioContext() {
    if (!context) {
      const Context = window.AudioContext || window.webkitAudioContext;
      context = Context ? new Context() : null;
    }
    return context;
  }

  /* Fetched and decoded once; a clip that fails is tried again next time (an office may add it). */
  function load(url) {
    if (!buffers.has(url)) {
      const ctx = audioContext();
      const pending = request(url, { cache: "default" })
        .then((response) => (response.ok ? response.arrayBuffer() : Promise.reject(response.status)))
        .then((data) => ctx.decodeAudioData(data))
        .catch(() => {
          buffers.delete(url);
          return null;
        });
      buffers.set(url, pending);
    }
    return buffers.get(url);
  }

  /* Resolves when the clip has ended; started(source) gets the source, to stop it early. */
  function play(buffer, started) {
    const ctx = audioContext();
    return new Promise((resolve) => {
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(ctx.destination);
      // A suspended context never ends its sources: do not let one stuck clip stop every clip after it.
      const guard = setTimeout(resolve, buffer.duration * 1000 + 1500);
      source.onended = () => {
        clearTimeout(guard);
        resolve();
      };
      if (started) started(source);
      source.start();
    });
  }

  return { audioContext, load, play };
}
