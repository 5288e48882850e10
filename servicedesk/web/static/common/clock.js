/* Time as the server tells it, so waiting times and the wall clock agree with the server whatever the
   PC's own clock says. */

import { zoneFormat } from "./format.js";

export class ServerClock {
  /* serverNow: the server's time at page load, as an ISO string or milliseconds. */
  constructor(serverNow) {
    const at = typeof serverNow === "number" ? serverNow : Date.parse(serverNow);
    this.offset = Number.isNaN(at) ? 0 : at - Date.now();
  }

  now() {
    return Date.now() + this.offset;
  }

  minutesSince(iso) {
    if (!iso) return 0;
    return Math.max(0, (this.now() - Date.parse(iso)) / 60000);
  }
}

export function minutesBetween(fromIso, toIso) {
  if (!fromIso || !toIso) return 0;
  return Math.max(0, (Date.parse(toIso) - Date.parse(fromIso)) / 60000);
}

/* The time and the long date in the office's time zone, written every second. timeZone is read on
   every tick (a display learns its office's zone from each snapshot); timeText adapts the time. */
export function runWallClock({ clock, timeZone, timeNode, dateNode, timeText = (text) => text }) {
  function tick() {
    const now = new Date(clock.now());
    const zone = timeZone();
    timeNode.textContent = timeText(zoneFormat(zone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(now));
    dateNode.textContent = zoneFormat(zone, { weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(now);
  }
  tick();
  return setInterval(tick, 1000);
}
