/* Every request the pages make: bounded in time, never cached, JSON both ways. The API answers a
   refusal as {"error": {"code", "message", "details"}}; the pages choose their words from the code. */

const REQUEST_TIMEOUT_MS = 10000;

/* fetch() that gives up after timeoutMs (the promise rejects, as for a network error). */
export function request(url, options = {}, timeoutMs = REQUEST_TIMEOUT_MS) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  return fetch(url, { cache: "no-store", credentials: "same-origin", ...options, signal: controller.signal })
    .finally(() => clearTimeout(timer));
}

const OFFLINE = { error: { code: "offline", message: "offline" } };

/* Resolves (never rejects) to {ok, status, body}; no answer at all: status 0 and the error "offline". */
export async function requestJson(url, { method = "GET", body, headers = {}, timeoutMs } = {}) {
  const options = { method, headers: { Accept: "application/json", ...headers } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await request(url, options, timeoutMs);
  } catch (error) {
    return { ok: false, status: 0, body: OFFLINE };
  }
  const json = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body: json };
}

/* The {code, message, details} of a refused answer ({} when there is none). */
export function errorOf(result) {
  return (result && result.body && result.body.error) || {};
}

/* The JSON of a GET, or null when the server did not answer it well. */
export async function getJson(url, options) {
  const result = await requestJson(url, options);
  return result.ok ? result.body : null;
}
