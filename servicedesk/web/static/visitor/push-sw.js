// The phone page's service worker: shows a push message with the page closed; a tap opens the page.
self.addEventListener("push", (event) => {
  const data = event.data ? event.data.json() : {};
  event.waitUntil(
    self.registration.showNotification(data.title || "Antrian", {
      body: data.body || "",
      data: { url: data.url || "/" },
      tag: "antrian",
      renotify: true,
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
