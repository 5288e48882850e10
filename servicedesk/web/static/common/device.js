/* A kiosk's or a display's device token: opened once as ?device=<token>, then kept in this browser. */

export const KIOSK_DEVICE = "servicedesk.kiosk.device";
export const DISPLAY_DEVICE = "servicedesk.display.device";

function storage() {
  try {
    return window.localStorage;
  } catch (error) {
    return null; // storage disabled: the page still works, without a token
  }
}

export function deviceToken(key) {
  const kept = storage();
  return kept ? kept.getItem(key) : null;
}

/* Keeps ?device=<token> under `key`, and the address bar forgets it; returns the token now kept. */
export function keepDeviceToken(key) {
  const params = new URLSearchParams(window.location.search);
  const token = params.get("device");
  if (token) {
    const kept = storage();
    if (kept) kept.setItem(key, token);
    params.delete("device");
    const rest = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (rest ? `?${rest}` : ""));
  }
  return deviceToken(key) || token;
}

/* The header a device sends with its requests, when it has a token. */
export function deviceHeaders(key) {
  const token = deviceToken(key);
  return token ? { "X-Device-Token": token } : {};
}
