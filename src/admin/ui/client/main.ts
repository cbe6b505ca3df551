/**
 * The admin page: sign-in, the four views and their navigation. Each view builds its own part of
 * the page from data (dom.ts: text only, never markup); this file wires them together.
 */
import { session } from "./api.ts";
import { createAuditView } from "./audit-view.ts";
import { createComponentsView } from "./components-view.ts";
import { $ } from "./dom.ts";
import { createPreviewView } from "./preview-view.ts";
import { createRulesView } from "./rules-view.ts";
import { describeFailure, say } from "./shell.ts";

type ViewName = "rules" | "components" | "preview" | "audit";

const views: Record<ViewName, { load(): Promise<void> }> = {
  rules: createRulesView($("#view-rules")),
  components: createComponentsView($("#view-components")),
  preview: createPreviewView($("#view-preview")),
  audit: createAuditView($("#view-audit")),
};
let current: ViewName = "rules";

const tokenForm = $<HTMLFormElement>("#token-form");
const tokenInput = $<HTMLInputElement>("#token");

function showSignedIn(signedIn: boolean) {
  document.body.dataset.signedIn = String(signedIn);
  $("#token-state").textContent = signedIn ? "Вы вошли" : "Вы не вошли";
  $("#sign-out").hidden = !signedIn;
  $("#sign-in-fields").hidden = signedIn;
  $("#tabs").hidden = !signedIn;
  $("main").hidden = !signedIn;
}

async function loadCurrent() {
  try {
    await views[current].load();
  } catch (error) {
    say(describeFailure(error), "error");
  }
}

function select(name: ViewName) {
  current = name;
  for (const button of document.querySelectorAll<HTMLButtonElement>("#tabs button")) {
    if (button.dataset.view === name) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }
  for (const section of document.querySelectorAll<HTMLElement>("main > section"))
    section.hidden = section.dataset.view !== name;
  say("");
  void loadCurrent();
}

session.onSignedOut((reason) => {
  showSignedIn(false);
  say(reason, "error");
  tokenInput.focus();
});

tokenForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim();
  if (!token) return;
  session.signIn(token);
  tokenInput.value = "";
  showSignedIn(true);
  say("");
  void loadCurrent();
});

$("#sign-out").addEventListener("click", () => {
  session.signOut();
  showSignedIn(false);
  say("Вы вышли");
});

for (const button of document.querySelectorAll<HTMLButtonElement>("#tabs button")) {
  button.addEventListener("click", () => select(button.dataset.view as ViewName));
}

showSignedIn(session.token() !== null);
if (session.token()) void loadCurrent();
else say("Введите токен администратора, чтобы начать");
