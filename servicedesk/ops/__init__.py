"""What runs beside the requests: recording the display's voice clips at build time, backups, and the
log format."""
