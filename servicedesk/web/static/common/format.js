/* Numbers, times and sentences in the page's language (<html lang>, set by the server). */

function pageLanguage() {
  return document.documentElement.lang === "en" ? "en" : "id";
}

function pageLocale() {
  return pageLanguage() === "en" ? "en-GB" : "id-ID";
}

/* A number as the server's format_decimal writes it: 4,5 in Indonesian, 4.5 in English; none: "—". */
export function number(value, fractionDigits) {
  if (value === null || value === undefined) return "—";
  const options = fractionDigits === undefined
    ? { maximumFractionDigits: 2 }
    : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
  return new Intl.NumberFormat(pageLocale(), options).format(value);
}

/* A translated sentence with its {placeholders} filled in: fill("{count} orang", { count: 3 }). */
export function fill(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (_, key) =>
    values[key] === undefined || values[key] === null ? "" : values[key],
  );
}

/* A service's name (or other catalogue text) in the page's language: English when the office wrote it. */
export function serviceName(service) {
  return pageLanguage() === "en" && service.name_en ? service.name_en : service.name;
}

/* 125.5 seconds -> "2:05"; an hour or more -> "1:02:05". */
export function clockText(minutes) {
  const total = Math.floor(minutes * 60);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/* A DateTimeFormat in the office's time zone (the machine's own if the zone is unknown to the browser). */
export function zoneFormat(timeZone, options, locale = pageLocale()) {
  try {
    return new Intl.DateTimeFormat(locale, { timeZone, ...options });
  } catch (error) {
    return new Intl.DateTimeFormat(locale, options);
  }
}

/* "09:05" in the office's time zone. */
export function timeOfDay(iso, timeZone) {
  if (!iso) return "";
  return zoneFormat(timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }, "id-ID")
    .format(new Date(iso))
    .replace(".", ":");
}

/* The minutes a visitor may wait with `people` ahead, as the server estimates them (domain/estimate.py). */
export function waitMinutes(people, minutesPerPerson) {
  return people > 0 ? Math.ceil(people * minutesPerPerson - 1e-9) : 0;
}
