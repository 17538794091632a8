// The mock console: one tenant's request journal, state and control buttons, from the control API.
//
// Everything the mock recorded (paths, headers, bodies) is untrusted text: it is only ever put into the page
// with textContent, never parsed as HTML. The credential lives in this tab's sessionStorage and leaves the
// page only in the Authorization header of calls to the control API.
(function () {
  "use strict";

  const STORAGE_KEY = "mock-console.credential";
  const POLL_MS = 1500;
  const MAX_ROWS = 1000;
  const REASONS = {
    200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 301: "Moved Permanently", 304: "Not Modified",
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    406: "Not Acceptable", 409: "Conflict", 413: "Content Too Large", 415: "Unsupported Media Type",
    422: "Unprocessable Content", 426: "Upgrade Required", 429: "Too Many Requests",
    431: "Request Header Fields Too Large", 499: "Client went away", 500: "Internal Server Error",
    502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
  };
  // The control API sits beside this page: /__mock__/console → /__mock__/.
  const BASE = location.pathname.replace(/console\/?$/, "");

  const $ = (id) => document.getElementById(id);

  /** An element with attributes and children (strings become text nodes, never HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  const view = {
    credential: null, // {scheme: "Bearer" | "Basic", secret}
    apis: [], // from GET health, longest base path first
    items: [], // newest first: {entry, api, li, button}
    last: null, // time of the newest entry seen, for ?since=
    selected: null,
    live: true,
    timer: 0,
    generation: 0, // bumped whenever the list is started afresh, so a late answer is dropped
    openPaths: new Set(),
    seenPaths: new Set(),
    stateTimer: 0,
  };

  // -- the credential --------------------------------------------------------------------------------------------

  function fragmentToken() {
    for (const part of location.hash.replace(/^#/, "").split("&")) {
      if (part.startsWith("token=")) {
        try {
          return decodeURIComponent(part.slice(6));
        } catch (error) {
          return part.slice(6);
        }
      }
    }
    return "";
  }

  function hasFragmentToken() {
    return /^#(.*&)?token=/.test(location.hash);
  }

  function loadCredential() {
    if (hasFragmentToken()) {
      const token = fragmentToken();
      // Out of the address bar and the history at once (the fragment itself never reaches the server).
      history.replaceState(null, "", location.pathname + location.search);
      if (token) saveCredential({ scheme: "Bearer", secret: token });
    }
    try {
      const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
      return stored && typeof stored.secret === "string" && stored.secret ? stored : null;
    } catch (error) {
      return null;
    }
  }

  function saveCredential(credential) {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credential));
  }

  function base64(text) {
    let binary = "";
    for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
    return btoa(binary);
  }

  function authorization() {
    const { scheme, secret } = view.credential;
    // The docs' placeholder (Basic <encoded-value>) is itself a credential the mock accepts.
    if (scheme === "Basic" && !/^<[^<>\s]+>$/.test(secret)) return "Basic " + base64(secret);
    return scheme + " " + secret;
  }

  // -- calls to the control API ------------------------------------------------------------------------------------

  class CallError extends Error {
    constructor(status, body) {
      super(describeProblem(status, body));
      this.status = status;
      this.body = body;
    }
  }

  function describeProblem(status, body) {
    const reason = status ? `${status} ${REASONS[status] || ""}`.trim() : "no answer";
    const detail = body && typeof body === "object" ? body.detail || body.message || body.title : "";
    return detail ? `${reason}: ${detail}` : reason;
  }

  async function call(method, path, params, authenticated = true) {
    const url = new URL(BASE + path, location.origin);
    for (const [name, value] of Object.entries(params || {})) url.searchParams.set(name, value);
    const headers = authenticated ? { Authorization: authorization() } : {};
    let response;
    try {
      response = await fetch(url, { method, headers, cache: "no-store", credentials: "omit" });
    } catch (error) {
      throw new CallError(0, { detail: "the mock does not answer; is it still running?" });
    }
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (error) {
      body = text;
    }
    if (!response.ok) throw new CallError(response.status, body);
    return body;
  }

  function showAlert(title, error) {
    const box = $("alert");
    const lines = [el("strong", {}, title)];
    if (error) lines.push(el("span", {}, error.message));
    if (error && error.status === 403) {
      lines.push(el("p", { class: "note" }, "The mock runs with an auth file: only a credential marked admin: true " +
        "may reset a tenant or clear its journal. Every credential may still read its own."));
    }
    if (error && error.status === 401) {
      lines.push(el("p", { class: "note" }, "The mock does not accept this credential. Check it, or forget it " +
        "and give another."));
    }
    box.replaceChildren(...lines);
    box.hidden = false;
  }

  function hideAlert() {
    $("alert").hidden = true;
  }

  function notify(text) {
    $("notice").textContent = text;
  }

  // -- the journal -----------------------------------------------------------------------------------------------

  function apiFor(path) {
    return view.apis.find((api) => path === api.base_path || path.startsWith(api.base_path + "/")) || null;
  }

  function statusClass(status) {
    return status >= 200 && status < 600 && status !== 499 ? String(status)[0] : "0";
  }

  function clock(time) {
    const date = new Date(time);
    if (Number.isNaN(date.getTime())) return time;
    const pad = (n, width = 2) => String(n).padStart(width, "0");
    const seconds = `${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
    return `${pad(date.getHours())}:${pad(date.getMinutes())}:${seconds}`;
  }

  /** The date and time in the browser's time zone, to the millisecond. */
  function stamp(time) {
    const date = new Date(time);
    if (Number.isNaN(date.getTime())) return time;
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock(time)}`;
  }

  function duration(ms) {
    return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
  }

  function fullPath(entry) {
    return entry.query ? `${entry.path}?${entry.query}` : entry.path;
  }

  function makeItem(entry) {
    const api = apiFor(entry.path);
    const item = { entry, api };
    item.button = el(
      "button",
      { type: "button", class: "row", "aria-controls": "detail" },
      el("time", { class: "time", datetime: entry.time }, clock(entry.time)),
      el("span", { class: "api" }, api ? api.name : "-"),
      el("span", { class: "method" }, entry.method),
      el("span", { class: "path", title: fullPath(entry) }, fullPath(entry)),
      el("span", { class: `status s${statusClass(entry.status)}` }, String(entry.status),
        el("span", { class: "sr" }, ` ${REASONS[entry.status] || ""}`)),
      el("span", { class: "duration" }, duration(entry.duration_ms)),
    );
    item.button.addEventListener("click", () => select(item, true));
    item.li = el("li", {}, item.button);
    return item;
  }

  function add(entries, generation) {
    if (generation !== view.generation || !entries.length) return;
    const list = $("journal");
    let writes = false;
    for (const entry of entries) {
      const item = makeItem(entry);
      view.items.unshift(item);
      list.prepend(item.li);
      item.li.hidden = !matches(item);
      writes = writes || entry.method !== "GET";
    }
    view.last = entries[entries.length - 1].time;
    while (view.items.length > MAX_ROWS) view.items.pop().li.remove();
    updateCount();
    if (writes) scheduleStateRefresh();
  }

  function clearRows() {
    view.items = [];
    view.last = null;
    view.selected = null;
    $("journal").replaceChildren();
    closeDetail();
    updateCount();
  }

  function filters() {
    return {
      api: $("filter-api").value,
      status: $("filter-status").value,
      path: $("filter-path").value.trim(),
    };
  }

  function matches(item, wanted = filters()) {
    if (wanted.api && (!item.api || item.api.name !== wanted.api)) return false;
    if (wanted.status && statusClass(item.entry.status) !== wanted.status) return false;
    return !wanted.path || fullPath(item.entry).includes(wanted.path);
  }

  function applyFilters() {
    const wanted = filters();
    for (const item of view.items) item.li.hidden = !matches(item, wanted);
    updateCount();
  }

  function updateCount() {
    const total = view.items.length;
    const shown = view.items.filter((item) => !item.li.hidden).length;
    const noun = total === 1 ? "request" : "requests";
    let count = shown === total ? `${total} ${noun}` : `${shown} of ${total} ${noun} shown`;
    if (!view.credential) count = "";
    $("count").textContent = count;
    $("empty").textContent = view.credential
      ? "No request of this tenant yet. Requests sent to any API below with the same credential appear here " +
        "as they arrive."
      : "Give the credential whose tenant you want to watch, above, or open this page as " +
        `${location.pathname}#token=YOUR_TOKEN.`;
    $("empty").hidden = total > 0;
    for (const id of ["live", "clear", "reset", "refresh-state"]) $(id).disabled = !view.credential;
  }

  async function poll() {
    clearTimeout(view.timer);
    if (!view.credential) return;
    const generation = view.generation;
    try {
      const body = await call("GET", "requests", view.last ? { since: view.last } : {});
      add(body.requests, generation);
      if ($("alert").dataset.kind === "poll") hideAlert();
    } catch (error) {
      if (generation !== view.generation) return;
      showAlert("The journal could not be read", error);
      $("alert").dataset.kind = "poll";
      if (error.status === 401) return; // polling again would only repeat it
    }
    if (generation === view.generation && view.live && !document.hidden) {
      view.timer = setTimeout(poll, POLL_MS);
    }
  }

  // -- one request in detail -------------------------------------------------------------------------------------

  function select(item, moveFocus) {
    if (view.selected) view.selected.button.removeAttribute("aria-current");
    view.selected = item;
    item.button.setAttribute("aria-current", "true");
    showDetail(item);
    if (moveFocus) $("detail-heading").focus();
  }

  function closeDetail() {
    $("detail-heading").textContent = "Request";
    $("detail-hint").hidden = false;
    $("detail-body").replaceChildren();
  }

  function forcedBy(headers) {
    const prefer = headers.prefer || "";
    return /(^|[\s,;])(code|example)=/.test(prefer) ? prefer : "";
  }

  /** The reasons a vendor's error body gives, in plain words, whatever its envelope. */
  function violations(text) {
    let body;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return text.trim() ? [text.trim().slice(0, 500)] : [];
    }
    if (typeof body === "string") return body ? [body] : [];
    if (!body || typeof body !== "object") return [];
    // COR errors[].message, control API errors[].field/message, Dreadnode errors[].loc/msg, Nexudus Errors[].
    const list = Array.isArray(body.errors) ? body.errors : Array.isArray(body.Errors) ? body.Errors : [];
    const found = list.map(violation).filter(Boolean);
    if (found.length) return found;
    const message = [body.message, body.Message, body.detail, body.title, body.name].find(
      (value) => typeof value === "string" && value,
    );
    return message ? [message] : [];
  }

  function violation(item) {
    if (typeof item === "string") return item;
    if (!item || typeof item !== "object") return "";
    let where = item.PropertyName ?? (Array.isArray(item.loc) ? item.loc.join(".") : item.loc) ?? item.field ?? "";
    where = String(where);
    const what = String(item.Message ?? item.msg ?? item.message ?? "");
    if (!what) return where;
    return where && !what.includes(where) ? `${where}: ${what}` : what;
  }

  function pretty(text) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch (error) {
      return text;
    }
  }

  function bodyBlock(text, truncated, label) {
    const nodes = [];
    if (!text) {
      nodes.push(el("p", { class: "note" }, "(empty)"));
    } else {
      nodes.push(el("pre", { class: "body", tabindex: "0", "aria-label": label }, truncated ? text : pretty(text)));
    }
    if (truncated) nodes.push(el("p", { class: "note" }, "Cut at 4 KiB: the mock keeps only the start."));
    return nodes;
  }

  function showDetail(item) {
    const entry = item.entry;
    const forced = forcedBy(entry.headers);
    $("detail-heading").textContent = `${entry.method} ${fullPath(entry)}`;
    $("detail-hint").hidden = true;
    const facts = el("dl", { class: "facts" });
    const fact = (name, ...value) => facts.append(el("dt", {}, name), el("dd", {}, ...value));
    fact("Status", el("span", { class: `status s${statusClass(entry.status)}` }, String(entry.status)),
      ` ${REASONS[entry.status] || ""}`);
    fact("API", item.api ? `${item.api.title} (${item.api.name})` : "none (no API serves this path)");
    fact("Received", stamp(entry.time));
    fact("Duration", duration(entry.duration_ms));
    if (forced) fact("Forced", `Prefer: ${forced}`);
    const parts = [facts];
    if (entry.aborted) {
      parts.push(el("p", { class: "note" }, "The client went away before its body was complete: nothing was applied."));
    }
    if (entry.status >= 400 && !entry.aborted) {
      const reasons = violations(entry.response_body);
      const box = el("div", { class: "refused" },
        el("h3", {}, forced ? "Forced answer" : "Why it was refused"));
      if (forced) {
        box.append(el("p", { class: "note" },
          "The Prefer header asked for this answer: nothing was validated or changed."));
      }
      box.append(reasons.length
        ? el("ul", { class: "violations" }, ...reasons.map((reason) => el("li", {}, reason)))
        : el("p", {}, "The answer gives no reason."));
      parts.push(box);
    }
    const rows = Object.entries(entry.headers).map(
      ([name, value]) => el("tr", {}, el("th", { scope: "row" }, name), el("td", {}, value)),
    );
    parts.push(
      el("h3", {}, "Request headers"),
      el("table", { class: "headers" }, el("caption", { class: "sr" }, "Request headers, credentials masked"),
        el("tbody", {}, ...rows)),
      el("p", { class: "note" }, entry.headers_truncated
        ? "Credentials are masked (***); some headers were cut to keep the journal small."
        : "Credentials are masked (***)."),
      el("h3", {}, "Request body"),
      ...bodyBlock(entry.body, entry.body_truncated, "Request body"),
      el("h3", {}, "Response body"),
      ...bodyBlock(entry.response_body, entry.response_body_truncated, "Response body"),
    );
    $("detail-body").replaceChildren(...parts);
  }

  // -- the tenant's state ------------------------------------------------------------------------------------------

  function scheduleStateRefresh() {
    clearTimeout(view.stateTimer);
    view.stateTimer = setTimeout(loadState, 300);
  }

  async function loadState() {
    if (!view.credential) return;
    const generation = view.generation;
    try {
      const state = await call("GET", "state");
      if (generation === view.generation) renderState(state);
    } catch (error) {
      if (generation === view.generation) showAlert("The state could not be read", error);
    }
  }

  function renderState(state) {
    const names = Object.keys(state);
    const list = el("ul", {}, ...names.map((name) => treeNode(name, state[name], [name])));
    $("state").replaceChildren(names.length ? list : el("p", { class: "muted" }, "No state."));
  }

  function treeNode(key, value, path) {
    if (value === null || typeof value !== "object") {
      return el("li", {}, el("span", { class: "key" }, key), ": ", scalar(value));
    }
    const id = JSON.stringify(path);
    const size = Array.isArray(value) ? `[${value.length}]` : `{${Object.keys(value).length}}`;
    const details = el("details", { "data-path": id }, el("summary", {}, el("span", { class: "key" }, key), " ",
      el("span", { class: "count" }, size)));
    let filled = false;
    // Children are built when first opened: a tenant's state may hold thousands of entries.
    const fill = () => {
      if (filled) return;
      filled = true;
      const children = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
      details.append(el("ul", {}, ...children.map(([k, v]) => treeNode(k, v, [...path, k]))));
    };
    if (!view.seenPaths.has(id) && path.length === 1) view.openPaths.add(id); // each API opens at first
    view.seenPaths.add(id);
    if (view.openPaths.has(id)) {
      details.open = true;
      fill();
    }
    details.addEventListener("toggle", () => {
      if (details.open) {
        view.openPaths.add(id);
        fill();
      } else {
        view.openPaths.delete(id);
      }
    });
    return el("li", {}, details);
  }

  function scalar(value) {
    if (typeof value === "string") return el("span", { class: "string" }, JSON.stringify(value));
    if (typeof value === "number") return el("span", { class: "number" }, String(value));
    return el("span", { class: "literal" }, String(value));
  }

  // -- the APIs ----------------------------------------------------------------------------------------------------

  async function loadApis() {
    try {
      const health = await call("GET", "health", null, false);
      view.apis = [...health.apis].sort((a, b) => b.base_path.length - a.base_path.length);
      $("version").textContent = `mock ${health.version}, ${health.apis.length} APIs`;
      renderApis(health.apis);
    } catch (error) {
      showAlert("The mock's health could not be read", error);
    }
  }

  function renderApis(apis) {
    const select = $("filter-api");
    for (const api of apis) select.append(el("option", { value: api.name }, api.name));
    const entries = [...apis, { name: "control", title: "Mock control API", base_path: BASE.replace(/\/$/, "") }];
    $("apis").replaceChildren(...entries.map((api) => el("li", {},
      el("span", { class: "title" }, api.title, " ", el("code", {}, api.base_path)),
      el("a", { href: `${api.base_path}/ui/` }, el("span", { class: "sr" }, `${api.title}: `), "Swagger UI"),
      el("a", { href: `${api.base_path}/openapi.json` }, el("span", { class: "sr" }, `${api.title}: `), "Spec (JSON)"),
    )));
  }

  // -- wiring ------------------------------------------------------------------------------------------------------

  function start() {
    view.generation += 1;
    clearTimeout(view.timer);
    clearRows();
    hideAlert();
    $("login").hidden = true;
    $("session").hidden = false;
    $("scheme-name").textContent = view.credential.scheme === "Basic" ? "Basic" : "bearer";
    $("state").replaceChildren();
    updateCount();
    poll();
    loadState();
  }

  function stop() {
    view.generation += 1;
    clearTimeout(view.timer);
    view.credential = null;
    sessionStorage.removeItem(STORAGE_KEY);
    clearRows();
    $("state").replaceChildren();
    $("login").hidden = false;
    $("session").hidden = true;
    updateCount();
    $("credential").focus();
  }

  $("login").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("credential");
    if (!input.value) return;
    view.credential = { scheme: $("scheme").value, secret: input.value };
    input.value = "";
    saveCredential(view.credential);
    start();
  });

  $("forget").addEventListener("click", () => {
    stop();
    notify("The credential is forgotten.");
  });

  $("live").addEventListener("click", () => {
    view.live = !view.live;
    $("live").setAttribute("aria-pressed", String(view.live));
    notify(view.live ? "Live updates on." : "Live updates paused.");
    if (view.live) poll();
    else clearTimeout(view.timer);
  });

  $("clear").addEventListener("click", async () => {
    if (!view.credential) return;
    try {
      await call("DELETE", "requests");
      view.generation += 1;
      clearRows();
      hideAlert();
      notify("The journal is cleared.");
      poll();
    } catch (error) {
      showAlert("Clear journal refused", error);
    }
  });

  $("reset").addEventListener("click", async () => {
    if (!view.credential) return;
    if (!window.confirm("Put this tenant's state back to the default fixtures? Its journal is kept.")) return;
    try {
      await call("POST", "reset");
      hideAlert();
      notify("The tenant's state is back to the default fixtures.");
      loadState();
    } catch (error) {
      showAlert("Reset tenant refused", error);
    }
  });

  $("refresh-state").addEventListener("click", loadState);
  $("filters").addEventListener("input", applyFilters);
  $("filters").addEventListener("submit", (event) => event.preventDefault());

  // Arrow keys move between the listed requests; Escape in the detail goes back to the chosen one.
  $("journal").addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const buttons = view.items.filter((item) => !item.li.hidden).map((item) => item.button);
    const at = buttons.indexOf(document.activeElement);
    const next = buttons[at + (event.key === "ArrowDown" ? 1 : -1)];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
  $("detail").addEventListener("keydown", (event) => {
    if (event.key === "Escape" && view.selected) view.selected.button.focus();
  });

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && view.live && view.credential) poll();
  });
  window.addEventListener("hashchange", () => {
    if (!hasFragmentToken()) return; // an in-page link, such as the skip link
    const credential = loadCredential();
    if (credential) {
      view.credential = credential;
      start();
    }
  });

  view.credential = loadCredential();
  updateCount();
  loadApis().then(() => {
    if (view.credential) start();
    else $("credential").focus();
  });
})();
