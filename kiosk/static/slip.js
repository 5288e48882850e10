/* Prints the slip as soon as it is drawn. Chromium started with --kiosk-printing prints without a dialog. */
(function () {
  "use strict";
  function print() { window.setTimeout(function () { window.print(); }, 100); }
  if (document.readyState === "complete") print();
  else window.addEventListener("load", print);
})();
