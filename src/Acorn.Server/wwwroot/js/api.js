// The HTTP contract (DESIGN.md section 7) as small async functions. Every call sends the key as a bearer token;
// errors become ApiError carrying the problem+json `detail`, and a 401 also tells the app to ask for a key again.

const KEY_STORAGE = "acorn.apiKey";

export class ApiError extends Error {
  constructor(status, title, detail, problem = null) {
    super(detail || title || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.problem = problem; // The whole problem+json body, for its extension members (such as "dependents").
  }
}

let unauthorizedHandler = () => {};

/** Called with the ApiError whenever the server answers 401. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

export function getKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function setKey(key) {
  sessionStorage.setItem(KEY_STORAGE, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_STORAGE);
}

export function authHeaders(key = getKey()) {
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** Reads a failed response's problem+json (or plain text) into an ApiError. */
export async function errorFrom(response) {
  let title = response.statusText;
  let detail = "";
  let problem = null;
  try {
    const text = await response.text();
    if (text) {
      try {
        problem = JSON.parse(text);
        title = problem.title || title;
        detail = problem.detail || "";
      } catch {
        detail = text.slice(0, 500);
      }
    }
  } catch {
    // The body could not be read; the status says enough.
  }

  if (!detail) {
    detail = response.status === 401
      ? "The server refused the API key (401 Unauthorized)."
      : `${response.status} ${title || "error"}`;
  }

  return new ApiError(response.status, title, detail, problem);
}

/** Sends a request; `body` goes as JSON, or `text` as is with its `contentType`. */
async function request(method, path, { body, text, contentType = "application/json", key, signal } = {}) {
  const headers = { Accept: "application/json", ...authHeaders(key) };
  const payload = text ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) {
    headers["Content-Type"] = contentType;
  }

  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, signal });
  } catch (error) {
    if (error.name === "AbortError") {
      throw error;
    }

    throw new ApiError(0, "Network error", `Could not reach the server (${error.message}).`);
  }

  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && key === undefined) {
      unauthorizedHandler(error);
    }

    throw error;
  }

  if (response.status === 204) {
    return null;
  }

  return response.json();
}

const enc = encodeURIComponent;

export const api = {
  /** Checks a key before keeping it: resolves, or throws ApiError (401 for a wrong key). */
  checkKey: (key) => request("GET", "/contexts?limit=1", { key }),

  listContexts: (after, limit = 200) =>
    request("GET", `/contexts?limit=${limit}${after ? `&after=${enc(after)}` : ""}`),
  getContext: (id) => request("GET", `/contexts/${enc(id)}`),
  listRecoveryPoints: (id) => request("GET", `/contexts/${enc(id)}/recovery-points`),
  createRecoveryPoint: (id) => request("POST", `/contexts/${enc(id)}/recovery-points`),
  restore: (id, pointId) => request("POST", `/contexts/${enc(id)}/recovery-points/${enc(pointId)}/restore`),
  /** Sends a patch document as typed (the server checks it); `mediaType` says which kind it is. */
  patchContext: (id, mediaType, patchText) => request("PATCH", `/contexts/${enc(id)}`, { text: patchText, contentType: mediaType }),

  listPlugins: () => request("GET", "/plugins"),
  pluginAction: (id, action, { cascade = false } = {}) =>
    request("POST", `/plugins/${enc(id)}/${action}${cascade ? "?cascade=true" : ""}`),

  stats: (signal) => request("GET", "/dashboard/stats", { signal }),
};
