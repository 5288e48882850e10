/* A journey on the visitor's phone page: the steps (agency, service, number or "waiting for the
   previous step", state), and, once this page's ticket is finished and the next step has its ticket,
   that ticket's page (the next agency's queue). */

import { byId as $, el, textNode } from "/static/common/dom.js";
import { fill, serviceName } from "/static/common/format.js";
import { getJson } from "/static/common/net.js";

function stepStateText(step, S) {
  if (step.state === "waiting_previous") return S.waiting_previous;
  if (step.state === "done") return S.done;
  if (step.state === "dropped") return S.dropped;
  return S.ticket[step.ticket.status] || step.ticket.status;
}

/* Draws the journey's steps; `token` is this page's ticket, marked as the one shown. */
export function renderJourney(journey, token, S) {
  $("journey").hidden = false;
  const items = journey.steps.map((step) => {
    const own = step.ticket && step.ticket.token === token;
    return el("li", { className: `v-step ${step.state}${own ? " own" : ""}`, "data-state": step.state }, [
      textNode("span", "v-step-n", fill(S.step, { n: step.position + 1 })),
      el("span", { className: "v-step-body" }, [
        step.agency ? textNode("span", "v-step-agency", step.agency.name) : null,
        textNode("span", "v-step-service", serviceName(step.service)),
        textNode("span", "v-step-state", stepStateText(step, S)),
      ]),
      textNode("span", "v-step-number", step.ticket ? step.ticket.number : "–"),
    ]);
  });
  $("journey-steps").replaceChildren(...items);
  const note = journey.end_reason ? S.refused : journey.state === "ended" ? S.ended
    : journey.state === "completed" ? S.completed : "";
  $("journey-note").textContent = note;
  $("journey-note").hidden = !note;
}

/* The token of the journey's next ticket to follow from this page, or null. */
export function nextJourneyToken(journey, token, status) {
  if (status !== "done" || !journey.current || journey.current.token === token) return null;
  return journey.current.token;
}

/* Reads the journey again, draws it, and opens the next step's page when there is one to follow. */
export async function refreshJourney(config, status) {
  const journey = await getJson(config.urls.journey);
  if (!journey) return;
  renderJourney(journey, config.token, config.strings.journey);
  const next = nextJourneyToken(journey, config.token, status);
  if (next) {
    $("journey-note").textContent = config.strings.journey.next;
    $("journey-note").hidden = false;
    window.location.assign(config.urls.page.replace("TOKEN", encodeURIComponent(next)));
  }
}
