// The LK admin page: plain DOM, no framework, no build step. Every text from the server goes
// into the page as a text node, never parsed as markup: titles may contain HTML, and must show
// as typed. The admin token lives in sessionStorage (gone when the tab closes) and goes with every
// data call; the page itself holds no data.

const TOKEN_KEY = "lk-admin-token";
const $ = (selector) => {
  const found = document.querySelector(selector);
  if (!found) throw new Error(`missing ${selector}`);
  return found;
};

/** Builds an element; string children become text nodes. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function say(text, kind = "info") {
  const box = $("#message");
  box.textContent = text;
  box.dataset.kind = kind;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.details = body?.error?.details ?? [];
  }
}

async function api(method, path, { json, headers = {} } = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) throw new ApiError(401, { error: { message: "enter the admin token first" } });
  const init = { method, headers: { authorization: `Bearer ${token}`, ...headers } };
  if (json !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(json);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** Runs an action and reports its failure in the status line. */
async function guarded(action) {
  try {
    await action();
  } catch (error) {
    say(describeError(error), "error");
  }
}

/** The server's message, status and details ("title: must not be empty") on one line. */
function describeError(error) {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const details = error.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message));
  return `${error.message} (${error.status})${details.length ? ` — ${details.join("; ")}` : ""}`;
}

/** `onRow(index)`, when given, makes the rows clickable. */
function table(headings, rows, onRow) {
  if (rows.length === 0) return el("p", { class: "empty" }, "none");
  const row = (cells, i) =>
    el(
      "tr",
      onRow ? { class: "clickable", onclick: () => onRow(i) } : {},
      ...cells.map((c) => el("td", {}, c)),
    );
  return el(
    "table",
    {},
    el("thead", {}, el("tr", {}, ...headings.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows.map(row)),
  );
}

// ---- token ---------------------------------------------------------------------------------

function showTokenState() {
  $("#token-state").textContent = sessionStorage.getItem(TOKEN_KEY) ? "token set" : "no token";
}

$("#token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("#token");
  sessionStorage.setItem(TOKEN_KEY, input.value.trim());
  input.value = "";
  showTokenState();
  say("token saved for this tab");
  guarded(loadCurrentView);
});

$("#forget-token").addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  showTokenState();
  say("token forgotten");
});

// ---- views ---------------------------------------------------------------------------------

let currentView = "rules";
const loaders = {
  rules: loadRules,
  components: loadComponents,
  preview: async () => {},
  audit: () => loadAudit(),
};

function loadCurrentView() {
  return loaders[currentView]();
}

for (const button of document.querySelectorAll("#tabs button")) {
  button.addEventListener("click", () => {
    currentView = button.dataset.view;
    for (const b of document.querySelectorAll("#tabs button")) {
      if (b === button) b.setAttribute("aria-current", "page");
      else b.removeAttribute("aria-current");
    }
    for (const section of document.querySelectorAll("main > section")) {
      section.hidden = section.dataset.view !== currentView;
    }
    say("");
    guarded(loadCurrentView);
  });
}

// ---- rules ---------------------------------------------------------------------------------

const ruleForm = $("#rule-form");
let editing = null; // the rule being edited ({id, version, …}) or null for a new one

async function loadRules() {
  const rules = await api("GET", "/admin/rules");
  const body = $("#rules-table tbody");
  body.replaceChildren(
    ...rules.map((rule) =>
      el(
        "tr",
        {
          class: "clickable",
          dataset: { ruleId: String(rule.id) },
          onclick: () => guarded(() => openRule(rule.id)),
        },
        el("td", { class: "mono" }, rule.name),
        el("td", {}, rule.title),
        el("td", {}, rule.kind),
        el("td", {}, rule.enabled ? "yes" : "no"),
        el("td", {}, String(rule.version)),
      ),
    ),
  );
}

function fillRuleForm(rule) {
  const f = ruleForm.elements;
  f.name.value = rule?.name ?? "";
  f.title.value = rule?.title ?? "";
  f.kind.value = rule?.kind ?? "expression";
  f.expression.value = rule?.expression ?? "";
  f.app_codes.value = (rule?.app_codes ?? []).join(", ");
  f.enabled.checked = rule?.enabled ?? true;
  $("#rule-form-heading").textContent = rule ? `Rule #${rule.id}, version ${rule.version}` : "New rule";
  $("#delete-rule").hidden = !rule;
  $("#rule-check").replaceChildren();
  ruleForm.hidden = false;
}

async function openRule(id) {
  editing = await api("GET", `/admin/rules/${id}`);
  fillRuleForm(editing);
  scheduleCheck();
  await showRevisions(editing);
}

function ruleFromForm() {
  const f = ruleForm.elements;
  const kind = f.kind.value;
  const body = { name: f.name.value, title: f.title.value, kind, enabled: f.enabled.checked };
  body.expression = f.expression.value;
  body.app_codes = f.app_codes.value
    .split(",")
    .map((code) => code.trim())
    .filter(Boolean);
  return body;
}

function showProblems(target, problems) {
  target.replaceChildren(
    el(
      "ul",
      { class: "problems" },
      ...problems.map((p) =>
        el("li", {}, p.line ? el("span", { class: "mono" }, `${p.line}:${p.column} `) : null, p.message),
      ),
    ),
  );
}

let checkTimer = null;
let checkSerial = 0;
function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => guarded(checkExpression), 250);
}

async function checkExpression() {
  const rule = ruleFromForm();
  const serial = ++checkSerial;
  const result = await api("POST", "/admin/rules/validate", {
    json: {
      expression: rule.expression,
      name: editing?.name,
      kind: rule.kind,
      app_codes: rule.app_codes,
      enabled: rule.enabled,
    },
  });
  if (serial !== checkSerial) return; // a newer check is on its way
  const box = $("#rule-check");
  box.dataset.valid = String(result.valid);
  if (result.valid) {
    const uses = [...result.variables, ...result.rules, ...result.helpers];
    box.replaceChildren(el("p", { class: "ok" }, "✓ valid", uses.length ? ` — uses ${uses.join(", ")}` : ""));
  } else {
    showProblems(box, result.errors);
  }
}

for (const name of ["expression", "kind", "app_codes", "enabled"]) {
  ruleForm.elements[name].addEventListener("input", scheduleCheck);
}

ruleForm.addEventListener("submit", (event) => {
  event.preventDefault();
  guarded(async () => {
    const rule = ruleFromForm();
    try {
      const saved = editing
        ? await api("PUT", `/admin/rules/${editing.id}`, {
            json: rule,
            headers: { "if-match": String(editing.version) },
          })
        : await api("POST", "/admin/rules", { json: rule });
      editing = saved;
      fillRuleForm(saved);
      say(`saved rule ${saved.name}, version ${saved.version}`, "ok");
      await Promise.all([loadRules(), showRevisions(saved)]);
    } catch (error) {
      if (error instanceof ApiError && error.details.length) showProblems($("#rule-check"), error.details);
      throw error;
    }
  });
});

$("#new-rule").addEventListener("click", () => {
  editing = null;
  fillRuleForm(null);
  $("#rule-revisions").replaceChildren();
});

$("#cancel-rule").addEventListener("click", () => {
  editing = null;
  ruleForm.hidden = true;
});

$("#delete-rule").addEventListener("click", () =>
  guarded(async () => {
    if (!editing || !confirm(`Delete rule ${editing.name}?`)) return;
    await api("DELETE", `/admin/rules/${editing.id}`, { headers: { "if-match": String(editing.version) } });
    say(`deleted rule ${editing.name}`, "ok");
    editing = null;
    ruleForm.hidden = true;
    await loadRules();
  }),
);

async function showRevisions(rule) {
  const revisions = await api("GET", `/admin/rules/${rule.id}/revisions`);
  const rows = revisions.map((r) => [
    String(r.version),
    new Date(r.created_at).toLocaleString(),
    r.author,
    r.enabled ? "enabled" : "disabled",
    el("code", {}, r.kind === "lk1" ? `lk1: ${r.app_codes.join(", ")}` : r.expression),
    r.version === rule.version
      ? "current"
      : el(
          "button",
          {
            type: "button",
            onclick: () =>
              guarded(async () => {
                const saved = await api("POST", `/admin/rules/${rule.id}/rollback`, {
                  json: { version: r.version },
                  headers: { "if-match": String(rule.version) },
                });
                editing = saved;
                fillRuleForm(saved);
                say(
                  `rule ${saved.name} is back to version ${r.version} (now version ${saved.version})`,
                  "ok",
                );
                await Promise.all([loadRules(), showRevisions(saved)]);
              }),
          },
          "Restore",
        ),
  ]);
  $("#rule-revisions").replaceChildren(
    el("h4", {}, "Revisions"),
    table(["Version", "When", "Who", "State", "Expression", ""], rows),
  );
}

// ---- components ----------------------------------------------------------------------------

// `fields`: what each kind has beyond title, order and rule; the form shows only those
// (its containers carry data-field) and sends only those.
/** Headings for the API's field names in the component tables. */
const COLUMN_HEADINGS = {
  icon: "Icon",
  url: "URL",
  sidebar_group_id: "Sidebar group",
  card_group_id: "Card group",
  platforms: "Platforms",
  image_url: "Image",
  link: "Link",
  starts_at: "Shown from",
  ends_at: "Shown until",
};

const COMPONENT_KINDS = [
  {
    path: "sidebar-groups",
    heading: "Sidebar groups",
    noun: "sidebar group",
    columns: ["icon"],
    fields: ["icon"],
  },
  { path: "card-groups", heading: "Card groups", noun: "card group", columns: [], fields: [] },
  {
    path: "sections",
    heading: "Sections",
    noun: "section",
    columns: ["url", "sidebar_group_id", "card_group_id", "platforms"],
    fields: ["icon", "url", "sidebar_group_id", "card_group_id", "platforms"],
  },
  {
    path: "banners",
    heading: "Banners",
    noun: "banner",
    columns: ["image_url", "link", "platforms", "starts_at", "ends_at"],
    fields: ["image_url", "link", "starts_at", "ends_at", "platforms"],
  },
];
const PLATFORMS = ["web", "ios", "android"];

const show = (value) =>
  value === null || value === undefined ? "—" : Array.isArray(value) ? value.join(", ") : String(value);

const componentForm = $("#component-form");
let componentKind = COMPONENT_KINDS[0]; // the kind the form shows
let editingComponent = null; // as loaded (its version goes in If-Match), or null for a new one

/** Replaces a dropdown's choices, keeping what was chosen. `blank` labels the "" choice. */
function setChoices(select, blank, items, label) {
  const chosen = select.value;
  select.replaceChildren(
    el("option", { value: "" }, blank),
    ...items.map((item) => el("option", { value: String(item.id) }, label(item))),
  );
  select.value = chosen;
}

async function loadComponents() {
  const [rules, ...lists] = await Promise.all([
    api("GET", "/admin/rules"),
    ...COMPONENT_KINDS.map((kind) => api("GET", `/admin/${kind.path}`)),
  ]);
  const [sidebarGroups, cardGroups] = lists;
  const f = componentForm.elements;
  setChoices(f.rule_id, "(none)", rules, (r) => `${r.name} — ${r.title}`);
  setChoices(f.sidebar_group_id, "(choose one)", sidebarGroups, (g) => `${g.title} (#${g.id})`);
  setChoices(f.card_group_id, "(none)", cardGroups, (g) => `${g.title} (#${g.id})`);
  // Ids mean nothing to a manager: the table names what they point to.
  const names = {
    rule_id: new Map(rules.map((r) => [r.id, r.name])),
    sidebar_group_id: new Map(sidebarGroups.map((g) => [g.id, g.title])),
    card_group_id: new Map(cardGroups.map((g) => [g.id, g.title])),
  };
  const cell = (c, key) => names[key]?.get(c[key]) ?? show(c[key]);
  $("#components").replaceChildren(
    ...COMPONENT_KINDS.flatMap((kind, i) => [
      el("h3", {}, kind.heading),
      table(
        ["#", "Title", "Order", "Rule", ...kind.columns.map((k) => COLUMN_HEADINGS[k] ?? k)],
        lists[i].map((c) => [
          String(c.id),
          c.title,
          String(c.order),
          cell(c, "rule_id"),
          ...kind.columns.map((k) => cell(c, k)),
        ]),
        (row) => guarded(() => openComponent(kind, lists[i][row].id)),
      ),
    ]),
  );
}

/** datetime-local works in the browser's time zone without an offset; the API wants instants. */
function toLocalInput(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

async function openComponent(kind, id) {
  showComponentForm(kind, await api("GET", `/admin/${kind.path}/${id}`));
}

function showComponentForm(kind, value) {
  componentKind = kind;
  editingComponent = value;
  for (const box of componentForm.querySelectorAll("[data-field]")) {
    box.hidden = !kind.fields.includes(box.dataset.field);
  }
  const f = componentForm.elements;
  for (const name of ["title", "icon", "url", "image_url", "link"]) f[name].value = value?.[name] ?? "";
  for (const name of ["rule_id", "sidebar_group_id", "card_group_id"])
    f[name].value = String(value?.[name] ?? "");
  f.order.value = String(value?.order ?? 0);
  f.starts_at.value = toLocalInput(value?.starts_at);
  f.ends_at.value = toLocalInput(value?.ends_at);
  // null means every platform: shown as all ticked, which is how a manager reads it.
  const platforms = value?.platforms ?? PLATFORMS;
  for (const box of f.platforms) box.checked = platforms.includes(box.value);
  $("#component-form-heading").textContent = value
    ? `${kind.noun[0].toUpperCase()}${kind.noun.slice(1)} #${value.id}, version ${value.version}`
    : `New ${kind.noun}`;
  $("#delete-component").hidden = !value;
  componentForm.hidden = false;
}

function componentFromForm(kind) {
  const f = componentForm.elements;
  const optionalText = (name) => f[name].value.trim() || null; // empty clears it
  const id = (name) => (f[name].value ? Number(f[name].value) : null);
  // An unchanged time keeps the stored instant (the input drops its seconds).
  const instant = (name) =>
    f[name].value === toLocalInput(editingComponent?.[name])
      ? (editingComponent?.[name] ?? null)
      : f[name].value && new Date(f[name].value).toISOString();
  const ticked = [...f.platforms].filter((box) => box.checked).map((box) => box.value);
  if (kind.fields.includes("platforms") && ticked.length === 0) {
    throw new Error("tick at least one platform");
  }
  const all = {
    title: f.title.value,
    order: f.order.valueAsNumber,
    rule_id: id("rule_id"),
    icon: optionalText("icon"),
    url: f.url.value,
    sidebar_group_id: id("sidebar_group_id"),
    card_group_id: id("card_group_id"),
    image_url: f.image_url.value,
    link: optionalText("link"),
    starts_at: instant("starts_at") || null,
    ends_at: instant("ends_at") || null,
    platforms: ticked.length === PLATFORMS.length ? null : ticked,
  };
  return Object.fromEntries(["title", "order", "rule_id", ...kind.fields].map((key) => [key, all[key]]));
}

componentForm.addEventListener("submit", (event) => {
  event.preventDefault();
  guarded(async () => {
    const kind = componentKind;
    const body = componentFromForm(kind);
    let saved;
    try {
      saved = editingComponent
        ? await api("PUT", `/admin/${kind.path}/${editingComponent.id}`, {
            json: body,
            headers: { "if-match": String(editingComponent.version) },
          })
        : await api("POST", `/admin/${kind.path}`, { json: body });
    } catch (error) {
      // Someone else changed it: show their version in the list; the form keeps this edit to redo.
      if (error instanceof ApiError && error.status === 409) await loadComponents();
      throw error;
    }
    say(`saved ${kind.noun} "${saved.title}", version ${saved.version}`, "ok");
    await loadComponents();
    showComponentForm(kind, saved);
  });
});

$("#new-component").addEventListener("click", () => {
  const path = $("#new-component-kind").value;
  showComponentForm(
    COMPONENT_KINDS.find((kind) => kind.path === path),
    null,
  );
});

$("#cancel-component").addEventListener("click", () => {
  editingComponent = null;
  componentForm.hidden = true;
});

$("#delete-component").addEventListener("click", () =>
  guarded(async () => {
    const kind = componentKind;
    const current = editingComponent;
    if (!current || !confirm(`Delete ${kind.noun} "${current.title}"?`)) return;
    await api("DELETE", `/admin/${kind.path}/${current.id}`, {
      headers: { "if-match": String(current.version) },
    });
    say(`deleted ${kind.noun} "${current.title}"`, "ok");
    editingComponent = null;
    componentForm.hidden = true;
    await loadComponents();
  }),
);

// ---- preview -------------------------------------------------------------------------------

$("#preview-form").addEventListener("submit", (event) => {
  event.preventDefault();
  guarded(async () => {
    const form = event.target.elements;
    const query = new URLSearchParams({
      personnel_number: form.personnel_number.value.trim(),
      platform: form.platform.value,
    });
    const preview = await api("GET", `/admin/preview?${query}`);
    renderPreview(preview);
    say(
      `preview on catalog version ${preview.catalog_version}${preview.evidence_stale ? " (cached employee data)" : ""}`,
    );
  });
});

function sectionList(sections) {
  return el(
    "ul",
    {},
    ...sections.map((s) => el("li", {}, s.title, " ", el("span", { class: "muted" }, s.url))),
  );
}

function renderPreview(preview) {
  const resultText = (r) => (r.result === "error" ? `error: ${r.error ?? ""}` : String(r.result));
  $("#preview-result").replaceChildren(
    el(
      "div",
      { class: "columns" },
      el(
        "div",
        { id: "preview-tree" },
        el("h3", {}, "Banners"),
        preview.banners.length
          ? el("ul", {}, ...preview.banners.map((b) => el("li", {}, b.title)))
          : el("p", { class: "empty" }, "none"),
        el("h3", {}, "Cards"),
        preview.cards.length ? null : el("p", { class: "empty" }, "none"),
        ...preview.cards.map((card) =>
          el("div", { class: "group" }, el("h4", {}, card.title), sectionList(card.sections)),
        ),
        el("h3", {}, "Sidebar"),
        preview.sidebar.length ? null : el("p", { class: "empty" }, "none"),
        ...preview.sidebar.map((group) =>
          el("div", { class: "group" }, el("h4", {}, group.title), sectionList(group.sections)),
        ),
      ),
      el(
        "div",
        {},
        el("h3", {}, "Rules"),
        el(
          "div",
          { id: "preview-rules" },
          table(
            ["Rule", "Result"],
            preview.rules.map((r) => [
              el("span", { class: "mono" }, r.name),
              el("span", { class: `result-${r.result}` }, resultText(r)),
            ]),
          ),
        ),
        el("h3", {}, "Hidden"),
        el(
          "div",
          { id: "preview-hidden" },
          table(
            ["Kind", "#", "Why"],
            preview.hidden.map((h) => [h.kind, String(h.id), h.reason]),
          ),
        ),
        el("h3", {}, "Employee variables the rules read"),
        table(
          ["Variable", "Value"],
          Object.entries(preview.evidence).map(([k, v]) => [
            el("span", { class: "mono" }, k),
            JSON.stringify(v),
          ]),
        ),
      ),
    ),
  );
}

// ---- audit ---------------------------------------------------------------------------------

let auditNext = null;

async function loadAudit(beforeId) {
  const query = new URLSearchParams({ limit: "50" });
  if (beforeId) query.set("before_id", String(beforeId));
  const page = await api("GET", `/admin/audit?${query}`);
  const rows = page.items.map((entry) => {
    const object = entry.after ?? entry.before ?? {};
    return el(
      "tr",
      {},
      el("td", {}, String(entry.id)),
      el("td", {}, new Date(entry.at).toLocaleString()),
      el("td", {}, entry.actor),
      el("td", {}, entry.action),
      el("td", {}, `${entry.entity} #${entry.entity_id}`),
      el("td", {}, show(object.name ?? object.title)),
    );
  });
  const body = $("#audit-table tbody");
  if (beforeId) body.append(...rows);
  else body.replaceChildren(...rows);
  auditNext = page.next_before_id;
  $("#audit-older").hidden = auditNext === null;
}

$("#audit-older").addEventListener("click", () => guarded(() => loadAudit(auditNext)));

// ---- start ---------------------------------------------------------------------------------

showTokenState();
if (sessionStorage.getItem(TOKEN_KEY)) guarded(loadCurrentView);
else say("enter the admin token to start");
