/* The slip page. Opened by the kiosk with ?print=1 it prints as soon as it is drawn (Chromium started
   with --kiosk-printing prints without a dialog). Opened to reprint, it offers the browser's print and,
   on a kiosk that prints over ESC/POS (its device token is kept in this browser), the kiosk's printer. */

import { KIOSK_DEVICE, deviceHeaders } from "/static/common/device.js";
import { byId } from "/static/common/dom.js";
import { errorOf, getJson, requestJson } from "/static/common/net.js";

if (byId("slip").dataset.autoprint === "1") {
  const printNow = () => window.setTimeout(() => window.print(), 100);
  if (document.readyState === "complete") printNow();
  else window.addEventListener("load", printNow);
} else {
  offerPrinting();
}

function offerPrinting() {
  const tools = byId("slip-tools");
  const result = byId("slip-print-result");
  byId("slip-print").addEventListener("click", () => window.print());

  const headers = deviceHeaders(KIOSK_DEVICE);
  if (!headers["X-Device-Token"]) return;
  // Only a kiosk whose slips the server prints gets the second button.
  getJson(tools.dataset.deviceUrl, { headers }).then((device) => {
    if (!device || device.print_mode === "browser") return;
    const button = byId("slip-kiosk-print");
    button.hidden = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      result.textContent = "";
      const answer = await requestJson(tools.dataset.printUrl, { method: "POST", headers });
      const outcome = answer.body || {};
      if (answer.status === 0) result.textContent = result.dataset.failed;
      else if (outcome.printed) result.textContent = result.dataset.printed;
      else result.textContent = `${result.dataset.failed} ${outcome.print_error || errorOf(answer).message || ""}`;
      button.disabled = false;
    });
  });
}
