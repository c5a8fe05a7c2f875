// The Acorn dashboard: asks for an API key, then keeps a live list of contexts (from GET /contexts and the /events
// stream), shows one context with its recovery points (and edits it with a patch), the plugins with load/unload, and
// charts /dashboard/stats.

import { api, ApiError, forgetKey, getKey, onUnauthorized, setKey } from "./api.js";
import { LiveEvents } from "./sse.js";
import { drawChart, formatNumber } from "./charts.js";

const $ = (id) => document.getElementById(id);
const MAX_ROWS = 1000;
const PAGE_SIZE = 200;
const MAX_LISTED = 10000;
const STATS_INTERVAL_MS = 1000;
const PLUGINS_INTERVAL_MS = 5000;
const PLUGINS_SETTLING_INTERVAL_MS = 250;
const PLUGIN_SETTLING = new Set(["loading", "stopping", "stopped"]);

const state = {
  running: false,
  contexts: new Map(), // id → state body
  listing: null, // while a list runs: the events seen meanwhile, replayed over the list
  listGeneration: 0,
  truncated: false,
  rows: new Map(), // id → <tr>
  renderQueued: false,
  selectedId: null,
  selectedGone: false,
  events: null,
  statsTimer: 0,
  statsController: null,
  pluginsTimer: 0,
  pluginsSnapshot: "",
  clockTimer: 0,
};

// ---------- formatting ----------

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

function formatWhen(iso) {
  if (!iso) {
    return "—";
  }

  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? timeFormat.format(date) : dateTimeFormat.format(date);
}

function formatRelative(iso) {
  if (!iso) {
    return "never";
  }

  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  if (seconds <= 0) {
    return "expiring";
  }

  for (const [unit, size] of [["day", 86400], ["hour", 3600], ["minute", 60]]) {
    if (seconds >= size) {
      return relative.format(Math.round(seconds / size), unit);
    }
  }

  return relative.format(Math.ceil(seconds), "second");
}

function setTime(node, iso, text) {
  node.textContent = text;
  if (iso) {
    node.title = new Date(iso).toISOString();
  } else {
    node.removeAttribute("title");
  }
}

// ---------- messages ----------

/** Shows an error; `action` ({ label, run }) adds a button offering the way out the server named. */
function showError(error, action = null) {
  if (error?.name === "AbortError" || error?.status === 401) {
    return; // A 401 already took the user back to the key prompt, which says why.
  }

  const message = error instanceof ApiError ? error.detail : (error?.message ?? String(error));
  $("error-message").textContent = message;
  const button = $("error-action");
  button.hidden = !action;
  button.textContent = action?.label ?? "";
  button.onclick = action
    ? () => withButton(button, async () => {
      await action.run();
      clearError();
    })
    : null;
  $("error-banner").hidden = false;
}

function clearError() {
  $("error-banner").hidden = true;
  $("error-message").textContent = "";
  $("error-action").hidden = true;
  $("error-action").onclick = null;
}

function setConnection(kind, text) {
  const node = $("connection");
  node.dataset.state = kind;
  node.textContent = text;
}

/** Runs an action from a button: disables it meanwhile, shows any error. */
async function withButton(button, action) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    clearError();
    await action();
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

// ---------- key prompt ----------

function showKeyPrompt(message) {
  stop();
  $("dashboard").hidden = true;
  $("forget-key").hidden = true;
  $("key-prompt").hidden = false;
  const error = $("key-error");
  error.textContent = message ?? "";
  error.hidden = !message;
  const input = $("api-key-input");
  input.setAttribute("aria-invalid", message ? "true" : "false");
  input.focus();
  setConnection("idle", "Not connected");
}

onUnauthorized((error) => {
  forgetKey();
  showKeyPrompt(`The server refused the key: ${error.detail}`);
});

async function connect(key) {
  const button = $("api-key-submit");
  button.disabled = true;
  setConnection("connecting", "Checking key…");
  try {
    await api.checkKey(key);
  } catch (error) {
    if (error.status === 401) {
      forgetKey();
      showKeyPrompt(`The server refused this key: ${error.detail}`);
    } else {
      // The server may just be down: keep the key in the field so "Connect" tries it again.
      showKeyPrompt(`Could not check the key: ${error.detail ?? error.message}`);
      $("api-key-input").value = key;
    }

    return;
  } finally {
    button.disabled = false;
  }

  setKey(key);
  $("api-key-input").value = "";
  $("key-error").hidden = true;
  $("key-prompt").hidden = true;
  $("dashboard").hidden = false;
  $("forget-key").hidden = false;
  start();
}

// ---------- lifecycle ----------

function start() {
  if (state.running) {
    return;
  }

  state.running = true;
  clearError();
  clearDetail();
  state.pluginsSnapshot = "";
  state.contexts.clear();
  for (const row of state.rows.values()) {
    row.remove();
  }

  state.rows.clear();
  state.events = new LiveEvents("/events", {
    onState: (kind) => {
      if (kind === "live") setConnection("live", "Live");
      else if (kind === "connecting") setConnection("connecting", "Connecting…");
      else setConnection("retrying", "Reconnecting…");
    },
    onOpen: (resumed) => {
      if (!resumed) {
        relist();
      }
    },
    onEvent: handleEvent,
    onError: () => {},
    onUnauthorized: (error) => {
      forgetKey();
      showKeyPrompt(`The server refused the key: ${error.detail}`);
    },
  });
  state.events.start();
  pollStats();
  pollPlugins();
  state.clockTimer = setInterval(() => scheduleRender(true), 15000);
}

function stop() {
  state.running = false;
  state.events?.stop();
  state.events = null;
  state.statsController?.abort();
  clearTimeout(state.statsTimer);
  clearTimeout(state.pluginsTimer);
  clearInterval(state.clockTimer);
  state.listGeneration++;
  state.listing = null;
}

// ---------- contexts: list + events ----------

async function relist() {
  const generation = ++state.listGeneration;
  state.listing = [];
  const listed = new Map();
  let truncated = false;
  try {
    let after = null;
    do {
      const page = await api.listContexts(after, PAGE_SIZE);
      if (generation !== state.listGeneration) {
        return;
      }

      for (const item of page.items) {
        listed.set(item.id, item);
      }

      after = page.next;
      if (listed.size >= MAX_LISTED && after) {
        truncated = true;
        break;
      }
    } while (after);
  } catch (error) {
    if (generation === state.listGeneration) {
      state.listing = null;
      showError(error);
    }

    return;
  }

  // Changes that arrived while the pages were read are newer than some of the pages: replay them, by version.
  const meanwhile = state.listing;
  state.listing = null;
  state.contexts = listed;
  state.truncated = truncated;
  for (const change of meanwhile) {
    applyChange(change, true);
  }

  scheduleRender();
  if (state.selectedId) {
    // After a reset the detail may have missed changes too: show what the list says now.
    const selected = state.contexts.get(state.selectedId);
    if (selected) {
      showState(selected);
    } else if (!state.truncated) {
      markSelectedGone();
    }
  }
}

function handleEvent(event) {
  if (event.event === "reset") {
    relist();
    return;
  }

  let change;
  try {
    change = JSON.parse(event.data);
  } catch {
    return;
  }

  if (!change || typeof change.contextId !== "string") {
    return;
  }

  state.listing?.push(change);
  applyChange(change, false);
  scheduleRender();
  if (change.contextId === state.selectedId) {
    if (change.state) {
      showState(change.state);
    } else {
      markSelectedGone();
    }
  }
}

/** Applies one change; when replaying over a fresh list, only changes newer than what the list holds. */
function applyChange(change, checkVersion) {
  const existing = state.contexts.get(change.contextId);
  if (change.state) {
    if (!checkVersion || !existing || change.version >= existing.version) {
      state.contexts.set(change.contextId, change.state);
    }
  } else if (existing && (!checkVersion || existing.version <= change.version)) {
    state.contexts.delete(change.contextId);
  }
}

function scheduleRender(force = false) {
  if (force) {
    for (const row of state.rows.values()) {
      row.dataset.version = "";
    }
  }

  if (state.renderQueued) {
    return;
  }

  state.renderQueued = true;
  requestAnimationFrame(() => {
    state.renderQueued = false;
    renderContexts();
  });
}

function createRow(id) {
  const row = document.createElement("tr");
  row.dataset.testid = "context-row";
  row.dataset.contextId = id;
  const idCell = document.createElement("td");
  const open = document.createElement("button");
  open.type = "button";
  open.className = "link context-open";
  open.dataset.testid = "context-open";
  open.textContent = id;
  open.addEventListener("click", () => selectContext(id));
  idCell.append(open);
  const version = document.createElement("td");
  version.className = "num";
  version.dataset.testid = "context-version";
  const expires = document.createElement("td");
  expires.dataset.testid = "context-expires";
  const updated = document.createElement("td");
  updated.dataset.testid = "context-updated";
  row.append(idCell, version, expires, updated);
  return row;
}

function renderContexts() {
  const ids = [...state.contexts.keys()].sort();
  const shown = ids.slice(0, MAX_ROWS);
  const keep = new Set(shown);
  for (const [id, row] of state.rows) {
    if (!keep.has(id)) {
      row.remove();
      state.rows.delete(id);
    }
  }

  const body = $("contexts-body");
  let cursor = body.firstElementChild;
  for (const id of shown) {
    const context = state.contexts.get(id);
    let row = state.rows.get(id);
    const isNew = !row;
    if (isNew) {
      row = createRow(id);
      state.rows.set(id, row);
    }

    if (row.dataset.version !== String(context.version) || row.dataset.updatedAt !== context.updatedAt) {
      const changed = !isNew && row.dataset.version !== "" && row.dataset.version !== String(context.version);
      row.dataset.version = String(context.version);
      row.dataset.updatedAt = context.updatedAt;
      const [, version, expires, updated] = row.cells;
      version.textContent = String(context.version);
      setTime(expires, context.expiresAt, formatRelative(context.expiresAt));
      setTime(updated, context.updatedAt, formatWhen(context.updatedAt));
      if (changed) {
        row.classList.remove("changed");
        void row.offsetWidth; // Restarts the highlight animation.
        row.classList.add("changed");
      }
    }

    row.classList.toggle("selected", id === state.selectedId);
    if (id === state.selectedId) {
      row.setAttribute("aria-current", "true");
    } else {
      row.removeAttribute("aria-current");
    }

    if (row === cursor) {
      cursor = cursor.nextElementSibling;
    } else {
      body.insertBefore(row, cursor);
    }
  }

  const total = state.contexts.size;
  $("contexts-empty").hidden = total > 0;
  let count = `${total} ${total === 1 ? "context" : "contexts"}`;
  if (total > MAX_ROWS) {
    count += `, first ${MAX_ROWS} shown`;
  }

  if (state.truncated) {
    count += " (list stopped at the first " + MAX_LISTED + ")";
  }

  $("contexts-count").textContent = count;
}

// ---------- one context ----------

async function selectContext(id) {
  state.selectedId = id;
  state.selectedGone = false;
  scheduleRender();
  $("detail-placeholder").hidden = true;
  $("detail-body").hidden = false;
  $("detail-gone").hidden = true;
  $("recovery-status").textContent = "";
  $("patch-status").textContent = "";
  $("detail-title").textContent = `Context ${id}`;
  if (window.matchMedia("(max-width: 900px)").matches) {
    $("context-detail").scrollIntoView({ block: "start" }); // One column: the detail is below the lists.
  }
  const known = state.contexts.get(id);
  if (known) {
    showState(known);
  }

  try {
    const [context, points] = await Promise.all([api.getContext(id), api.listRecoveryPoints(id)]);
    if (state.selectedId !== id) {
      return;
    }

    showState(context);
    showRecoveryPoints(points.items);
  } catch (error) {
    if (state.selectedId !== id) {
      return;
    }

    if (error.status === 404) {
      markSelectedGone();
    } else {
      showError(error);
    }
  }
}

function clearDetail() {
  state.selectedId = null;
  state.selectedGone = false;
  $("detail-title").textContent = "Context";
  $("detail-body").hidden = true;
  $("detail-placeholder").hidden = false;
  $("recovery-points-body").replaceChildren();
}

function showState(context) {
  if (context.id !== state.selectedId) {
    return;
  }

  state.selectedGone = false;
  $("detail-gone").hidden = true;
  $("create-recovery-point").disabled = false;
  $("patch-apply").disabled = false;
  $("detail-id").textContent = context.id;
  $("detail-version").textContent = String(context.version);
  setTime($("detail-created"), context.createdAt, formatWhen(context.createdAt));
  setTime($("detail-updated"), context.updatedAt, formatWhen(context.updatedAt));
  setTime($("detail-expires"), context.expiresAt, context.expiresAt
    ? `${formatWhen(context.expiresAt)} (${formatRelative(context.expiresAt)})`
    : "never");
  const metadata = $("detail-metadata");
  metadata.replaceChildren();
  const entries = Object.entries(context.metadata ?? {});
  for (const [key, value] of entries) {
    const dt = document.createElement("dt");
    dt.textContent = key;
    const dd = document.createElement("dd");
    dd.textContent = value;
    metadata.append(dt, dd);
  }

  $("detail-metadata-empty").hidden = entries.length > 0;
  $("context-data").textContent = JSON.stringify(context.data, null, 2);
}

function markSelectedGone() {
  state.selectedGone = true;
  $("detail-gone").hidden = false;
  $("create-recovery-point").disabled = true;
  $("patch-apply").disabled = true;
  for (const button of $("recovery-points-body").querySelectorAll("button")) {
    button.disabled = true;
  }
}

function showRecoveryPoints(points) {
  const body = $("recovery-points-body");
  body.replaceChildren();
  for (const point of points) {
    const row = document.createElement("tr");
    row.dataset.testid = "recovery-point";
    row.dataset.recoveryPointId = String(point.id);
    const id = document.createElement("td");
    id.className = "num";
    id.textContent = `#${point.id}`;
    const version = document.createElement("td");
    version.className = "num";
    version.textContent = `v${point.version}`;
    const taken = document.createElement("td");
    setTime(taken, point.createdAt, formatWhen(point.createdAt));
    const actions = document.createElement("td");
    actions.className = "actions";
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "secondary small";
    restore.dataset.testid = "restore-button";
    restore.textContent = "Restore";
    restore.setAttribute("aria-label", `Restore recovery point ${point.id} (version ${point.version})`);
    restore.disabled = state.selectedGone;
    restore.addEventListener("click", () => withButton(restore, () => restorePoint(point)));
    actions.append(restore);
    row.append(id, version, taken, actions);
    body.append(row);
  }

  $("recovery-points-empty").hidden = points.length > 0;
  $("recovery-points").hidden = points.length === 0;
}

async function refreshRecoveryPoints(id) {
  const points = await api.listRecoveryPoints(id);
  if (state.selectedId === id) {
    showRecoveryPoints(points.items);
  }
}

async function createRecoveryPoint() {
  const id = state.selectedId;
  if (!id) {
    return;
  }

  const point = await api.createRecoveryPoint(id);
  if (state.selectedId === id) {
    $("recovery-status").textContent = `Took recovery point #${point.id} of version ${point.version}.`;
  }

  await refreshRecoveryPoints(id);
}

async function restorePoint(point) {
  const id = point.contextId;
  const restored = await api.restore(id, point.id);
  applyChange({ kind: "restored", contextId: id, version: restored.version, state: restored }, true);
  scheduleRender();
  if (state.selectedId === id) {
    showState(restored);
    $("recovery-status").textContent =
      `Restored recovery point #${point.id} (version ${point.version}); the context is now at version ${restored.version}.`;
  }
}

async function applyPatch() {
  const id = state.selectedId;
  if (!id) {
    return;
  }

  const status = $("patch-status");
  status.textContent = "";
  let patched;
  try {
    patched = await api.patchContext(id, $("patch-kind").value, $("patch-text").value);
  } catch (error) {
    // A failed operation (409) names its index and path; say so next to the form, too.
    if (error instanceof ApiError && error.problem && Number.isInteger(error.problem.operation)) {
      status.textContent = `Operation ${error.problem.operation}${error.problem.path !== undefined ? ` (${error.problem.path || "the whole document"})` : ""} was refused; nothing changed.`;
    }

    throw error;
  }

  applyChange({ kind: "updated", contextId: id, version: patched.version, state: patched }, true);
  scheduleRender();
  if (state.selectedId === id) {
    showState(patched);
    status.textContent = `Patched: the context is now at version ${patched.version}.`;
  }
}

// ---------- plugins ----------

async function pollPlugins() {
  clearTimeout(state.pluginsTimer);
  let settling = false;
  try {
    const plugins = await api.listPlugins();
    renderPlugins(plugins.items);
    // An unload answers while the server still checks that the plugin's code was collected: look again soon for the outcome.
    settling = plugins.items.some((p) => PLUGIN_SETTLING.has(p.status));
  } catch (error) {
    if (error.status !== 401) {
      showError(error);
    }
  }

  if (state.running) {
    state.pluginsTimer = setTimeout(pollPlugins, settling ? PLUGINS_SETTLING_INTERVAL_MS : PLUGINS_INTERVAL_MS);
  }
}

function renderPlugins(plugins) {
  const snapshot = JSON.stringify(plugins);
  if (snapshot === state.pluginsSnapshot) {
    return;
  }

  state.pluginsSnapshot = snapshot;
  const body = $("plugins-body");
  body.replaceChildren();
  for (const plugin of plugins) {
    const row = document.createElement("tr");
    row.dataset.testid = "plugin-row";
    row.dataset.pluginId = plugin.id;
    const name = document.createElement("td");
    const title = document.createElement("strong");
    title.textContent = plugin.name || plugin.id;
    const id = document.createElement("div");
    id.className = "muted small-text";
    id.textContent = plugin.id;
    name.append(title, id);
    if (plugin.description) {
      name.title = plugin.description;
    }

    const version = document.createElement("td");
    version.textContent = plugin.version;
    const status = document.createElement("td");
    const badge = document.createElement("span");
    badge.className = `badge status-${plugin.status}`;
    badge.dataset.testid = "plugin-status";
    badge.textContent = plugin.status;
    status.append(badge);
    const why = plugin.reason || (plugin.blockedBy ? `needs ${plugin.blockedBy}` : "");
    if (why) {
      const reason = document.createElement("div");
      reason.className = "muted small-text";
      reason.textContent = why;
      status.append(reason);
    }

    const actions = document.createElement("td");
    actions.className = "actions";
    const busy = plugin.status === "loading" || plugin.status === "stopping";
    actions.append(
      pluginButton(plugin, "load", "Load", busy || plugin.status === "active"),
      pluginButton(plugin, "unload", "Unload", busy || plugin.status !== "active"));
    row.append(name, version, status, actions);
    body.append(row);
  }

  $("plugins-empty").hidden = plugins.length > 0;
}

function pluginButton(plugin, action, label, disabled) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary small";
  button.dataset.testid = `plugin-${action}`;
  button.textContent = label;
  button.disabled = disabled;
  button.setAttribute("aria-label", `${label} ${plugin.name || plugin.id}`);
  button.addEventListener("click", () => withButton(button, async () => {
    try {
      await api.pluginAction(plugin.id, action);
    } catch (error) {
      // Unload refused because active plugins need this one: offer the cascade the server suggests.
      const dependents = error.problem?.dependents;
      if (action !== "unload" || error.status !== 409 || !Array.isArray(dependents) || dependents.length === 0) {
        throw error;
      }

      showError(error, {
        label: `Unload ${plugin.id} and ${dependents.join(", ")}`,
        run: async () => {
          try {
            await api.pluginAction(plugin.id, "unload", { cascade: true });
          } finally {
            state.pluginsSnapshot = "";
            await pollPlugins();
          }
        },
      });
    } finally {
      state.pluginsSnapshot = "";
      await pollPlugins();
    }
  }));
  return button;
}

// ---------- charts ----------

const lastStats = { items: [] };

async function pollStats() {
  clearTimeout(state.statsTimer);
  state.statsController = new AbortController();
  try {
    const stats = await api.stats(state.statsController.signal);
    lastStats.items = stats.items;
    renderStats();
    $("charts-status").textContent = "";
  } catch (error) {
    if (error.name !== "AbortError" && error.status !== 401) {
      $("charts-status").textContent = `Stats unavailable: ${error.detail ?? error.message}`;
    }
  }

  if (state.running) {
    state.statsTimer = setTimeout(pollStats, STATS_INTERVAL_MS);
  }
}

function renderStats() {
  const items = lastStats.items;
  const times = items.map((item) => new Date(item.at));
  const last = items[items.length - 1];
  drawChart($("chart-operations"), times, [
    { label: "operations/s", className: "ops", values: items.map((i) => i.operations) },
  ], { floor: 5 });
  drawChart($("chart-latency"), times, [
    { label: "p99", className: "p99", values: items.map((i) => i.p99Milliseconds) },
    { label: "p50", className: "p50", values: items.map((i) => i.p50Milliseconds) },
  ], { floor: 1 });
  drawChart($("chart-lockwait"), times, [
    { label: "turn wait p99", className: "lock", values: items.map((i) => i.turnWaitP99Milliseconds) },
  ], { floor: 1 });

  if (!last) {
    return;
  }

  const ops = `${formatNumber(last.operations)}/s`;
  const latency = `p50 ${formatNumber(last.p50Milliseconds)} · p99 ${formatNumber(last.p99Milliseconds)}`;
  const lock = `${formatNumber(last.turnWaitP99Milliseconds)} (${formatNumber(last.turnWaits)} ${last.turnWaits === 1 ? "write" : "writes"})`;
  $("now-operations").textContent = ops;
  $("now-latency").textContent = latency;
  $("now-lockwait").textContent = lock;
  $("chart-operations").setAttribute("aria-label", `Operations per second over the last two minutes; now ${ops}`);
  $("chart-latency").setAttribute("aria-label", `Operation latency in milliseconds; now ${latency}`);
  $("chart-lockwait").setAttribute("aria-label", `Turn wait p99 in milliseconds; now ${lock}`);
}

// ---------- wiring ----------

function init() {
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("api-key-input").value.trim();
    if (key) {
      connect(key);
    }
  });
  $("forget-key").addEventListener("click", () => {
    forgetKey();
    clearDetail();
    showKeyPrompt();
  });
  $("error-dismiss").addEventListener("click", clearError);
  $("contexts-refresh").addEventListener("click", (event) => withButton(event.currentTarget, relist));
  $("plugins-refresh").addEventListener("click", (event) => withButton(event.currentTarget, async () => {
    state.pluginsSnapshot = "";
    await pollPlugins();
  }));
  $("create-recovery-point").addEventListener("click", (event) => withButton(event.currentTarget, createRecoveryPoint));
  $("patch-form").addEventListener("submit", (event) => {
    event.preventDefault();
    withButton($("patch-apply"), applyPatch);
  });
  window.addEventListener("resize", () => renderStats());

  const key = getKey();
  if (key) {
    connect(key);
  } else {
    showKeyPrompt();
  }
}

init();
