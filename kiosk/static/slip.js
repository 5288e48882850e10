/* The slip page. Opened by the kiosk with ?print=1 it prints as soon as it is drawn (Chromium started
   with --kiosk-printing prints without a dialog). Opened to reprint, it offers the browser's print and,
   on a kiosk that prints over ESC/POS (its device token is kept in this browser), the kiosk's printer. */
(function () {
  "use strict";

  var slip = document.getElementById("slip");
  if (slip.dataset.autoprint === "1") {
    var print = function () { window.setTimeout(function () { window.print(); }, 100); };
    if (document.readyState === "complete") print();
    else window.addEventListener("load", print);
    return;
  }

  var tools = document.getElementById("slip-tools");
  var result = document.getElementById("slip-print-result");
  document.getElementById("slip-print").addEventListener("click", function () { window.print(); });

  var token = null;
  try { token = window.localStorage.getItem("servicedesk.kiosk.device"); } catch (e) { token = null; }
  if (!token) return;

  // Only a kiosk whose slips the server prints gets the second button.
  fetch(tools.dataset.deviceUrl, {
    headers: { "X-Device-Token": token }, cache: "no-store",
  })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (device) {
      if (!device || device.print_mode === "browser") return;
      var button = document.getElementById("slip-kiosk-print");
      button.hidden = false;
      button.addEventListener("click", function () {
        button.disabled = true;
        result.textContent = "";
        fetch(tools.dataset.printUrl, { method: "POST", headers: { "X-Device-Token": token }, cache: "no-store" })
          .then(function (response) { return response.json(); })
          .then(function (outcome) {
            result.textContent = outcome.printed
              ? result.dataset.printed
              : result.dataset.failed + " " + (outcome.print_error || (outcome.error && outcome.error.message) || "");
          })
          .catch(function () { result.textContent = result.dataset.failed; })
          .finally(function () { button.disabled = false; });
      });
    })
    .catch(function () {});
})();
