// The kiosk's check-in form sends the kiosk's device token, kept by the kiosk page on this machine.
const DEVICE_KEY = "servicedesk.kiosk.device"; // the same key as kiosk/static/kiosk.js

function storedToken() {
  try {
    return window.localStorage.getItem(DEVICE_KEY);
  } catch {
    return null;
  }
}

const field = document.getElementById("device-token");
const token = storedToken();
if (field && token) field.value = token;
