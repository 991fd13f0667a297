// The example portal's own script: logs what the embedded studio reports, and drives it
// with the host commands. (The page's Content-Security-Policy allows no inline script,
// so it lives in this file.)

const host = document.querySelector("[data-seedream-studio]");
const log = document.getElementById("event-log");
const empty = document.getElementById("log-empty");
const commandButtons = document.querySelectorAll("[data-command]");

const EVENTS = ["seedream:ready", "seedream:submitted", "seedream:progress", "seedream:completed", "seedream:failed"];

/** Adds one line to the visible log: the event's type, its detail, and links to results. */
function record(type, detail) {
  const item = document.createElement("li");
  item.className = "portal-log-entry";
  item.dataset.type = type;
  item.dataset.detail = JSON.stringify(detail ?? null);
  const time = document.createElement("time");
  time.textContent = new Date().toLocaleTimeString();
  const name = document.createElement("strong");
  name.textContent = type;
  const body = document.createElement("code");
  body.textContent = JSON.stringify(detail ?? null, null, 1);
  item.append(time, " ", name, " ", body);
  for (const result of detail?.results ?? []) {
    const link = document.createElement("a");
    link.href = result.url;
    link.target = "_blank";
    link.rel = "noopener";
    link.className = "portal-result";
    link.textContent = `${result.width} × ${result.height} ${result.format}: ${result.url}`;
    item.append(link);
  }
  log.prepend(item);
  empty.hidden = true;
}

for (const type of EVENTS) {
  host.addEventListener(type, (event) => record(type, event.detail));
}

/** The commands need the studio started: the buttons wait for it. */
function enableCommands() {
  for (const button of commandButtons) button.disabled = false;
}
if (host.dataset.ready === "true") enableCommands();
host.addEventListener("seedream:ready", enableCommands);

const studio = () => host.seedreamStudio;
const value = (id) => document.getElementById(id).value;
document.getElementById("command-set-prompt").addEventListener("click", () => studio().setPrompt(value("command-prompt")));
document.getElementById("command-add-image").addEventListener("click", () => studio().addImageUrl(value("command-image-url")));
document.getElementById("command-submit").addEventListener("click", () => studio().submit());
document.getElementById("command-reset").addEventListener("click", () => studio().reset());
document.getElementById("log-clear").addEventListener("click", () => {
  log.replaceChildren();
  empty.hidden = false;
});

// `?hostile` adds heavy-handed global rules of the kind many sites have (see
// hostile.css), last, to show the studio keeps its look among them.
if (new URLSearchParams(location.search).has("hostile")) {
  const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href: "hostile.css" });
  const addLast = () => document.head.append(link);
  if (host.dataset.ready === "true") addLast();
  else host.addEventListener("seedream:ready", addLast, { once: true });
}
