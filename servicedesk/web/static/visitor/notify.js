// The phone page's opt-in: Web Push through a service worker, or a WhatsApp/SMS number.
const box = document.getElementById("notify-box");
const statusLine = document.getElementById("notify-status");

function showStatus(text) {
  statusLine.textContent = text;
  statusLine.hidden = false;
}

async function optIn(channel, address) {
  const response = await fetch(box.dataset.optin, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ channel, address, consent: true }),
  });
  if (!response.ok) throw new Error(`opt-in refused: ${response.status}`);
}

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

async function turnOnPush() {
  if ((await Notification.requestPermission()) !== "granted") {
    showStatus(box.dataset.denied);
    return;
  }
  const registration = await navigator.serviceWorker.register(box.dataset.worker, { scope: "/t/" });
  const { key } = await (await fetch(box.dataset.key)).json();
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(key),
  });
  await optIn("webpush", subscription.toJSON());
  showStatus(box.dataset.done);
}

const pushButton = document.getElementById("push-on");
if ("serviceWorker" in navigator && "PushManager" in window && "Notification" in window) {
  pushButton.hidden = false;
  pushButton.addEventListener("click", () => turnOnPush().catch(() => showStatus(box.dataset.failed)));
}

document.getElementById("phone-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const phone = document.getElementById("phone").value;
  const channel = document.getElementById("phone-channel").value;
  optIn(channel, phone)
    .then(() => showStatus(box.dataset.done))
    .catch(() => showStatus(box.dataset.failed));
});

document.getElementById("notify-off").addEventListener("click", () => {
  fetch(box.dataset.withdraw, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })
    .then((response) => showStatus(response.ok ? box.dataset.stopped : box.dataset.failed))
    .catch(() => showStatus(box.dataset.failed));
});
