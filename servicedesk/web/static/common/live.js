/* The Socket.IO connection every live page holds. The server answers each connect and reconnect with a
   full snapshot of the page's kind, so a missed event never leaves a screen wrong (realtime/handlers.py). */

import { io } from "/vendor/socket.io.esm.min.js";

/* kind: the snapshot this page takes ("staff", "display", "ticket"); events: {name: handler};
   onStatus(connected, reason) on every connect, disconnect ("io server disconnect": the server dropped
   us) and refused connection ("connect_error"). */
export function openLive({ kind, options = {}, onSnapshot, events = {}, onStatus = () => {} }) {
  const socket = io(options);
  socket.on("connect", () => onStatus(true, "connect"));
  socket.on("disconnect", (reason) => onStatus(false, reason));
  socket.on("connect_error", () => onStatus(false, "connect_error"));
  socket.on("snapshot", (snapshot) => {
    if (snapshot && snapshot.kind === kind) onSnapshot(snapshot);
  });
  for (const [name, handler] of Object.entries(events)) socket.on(name, handler);
  return socket;
}
