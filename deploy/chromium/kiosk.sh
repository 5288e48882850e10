#!/bin/sh
# The touch kiosk: Chromium in kiosk mode, printing the slip without a dialog.
# SERVER is the app's address; DEVICE is the kiosk's token (`flask devices add kiosk NAME`).
SERVER=${SERVER:-http://127.0.0.1:8000}
exec chromium --kiosk --kiosk-printing --noerrdialogs --disable-session-crashed-bubble \
  --disable-infobars --check-for-update-interval=31536000 --overscroll-history-navigation=0 \
  --disable-pinch "$SERVER/kiosk?device=${DEVICE:-}"
