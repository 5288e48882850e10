#!/bin/sh
# The waiting-room TV: Chromium in kiosk mode; sound allowed without a click.
# DEVICE is the display's token (`flask devices add display NAME --area "Lantai 1"`).
SERVER=${SERVER:-http://127.0.0.1:8000}
exec chromium --kiosk --noerrdialogs --disable-session-crashed-bubble --disable-infobars \
  --autoplay-policy=no-user-gesture-required --check-for-update-interval=31536000 \
  "$SERVER/display?device=${DEVICE:-}"
