"""Live screens: domain events become Socket.IO messages; a connecting client gets a snapshot."""
