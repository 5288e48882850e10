/* Building the page: every audience's script takes its elements and nodes from here. Text goes in with
   textContent only, never as HTML. */

export const byId = (id) => document.getElementById(id);

/* The JSON block the server renders for a page's script (<script type="application/json" id=...>). */
export function readJson(id) {
  return JSON.parse(byId(id).textContent);
}

/* el("td", { className: "num", text: "4", "data-since": iso }, [child, "text", null]) */
export function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = value;
    else if (key === "className") node.className = value;
    else if (key.startsWith("data-") || key.startsWith("aria-") || ["title", "type", "value", "role"].includes(key)) {
      node.setAttribute(key, value);
    } else node[key] = value;
  }
  for (const child of children || []) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/* The short form the kiosk and the display use: a tag, its class and its text. */
export function textNode(tag, className, text) {
  return el(tag, { className: className || "", text: text === null || text === undefined ? "" : text });
}

/* Every <dialog> button marked data-close closes its dialog. */
export function closeDialogsOnRequest() {
  document.querySelectorAll("dialog [data-close]").forEach((button) => {
    button.addEventListener("click", () => button.closest("dialog").close());
  });
}
