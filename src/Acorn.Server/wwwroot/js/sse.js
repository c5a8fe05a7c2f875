// Server-sent events over fetch(). EventSource cannot send an Authorization header, so this reads the stream itself:
// it splits the body into lines, gathers `id:`, `event:`, `data:` and `retry:` fields, dispatches on a blank line,
// and on a dropped connection reconnects with the last id as `?lastEventId=` so the server resumes where it stopped.

import { authHeaders, errorFrom } from "./api.js";

/** Parses an event-stream body incrementally; `feed` takes decoded text, `onEvent` gets {id, event, data}. */
export class EventStreamParser {
  constructor(onEvent, onRetry = () => {}) {
    this.onEvent = onEvent;
    this.onRetry = onRetry;
    this.buffer = "";
    this.reset();
  }

  reset() {
    this.eventName = "";
    this.dataLines = [];
    this.id = undefined;
  }

  feed(text) {
    this.buffer += text;
    // A line ends at \r\n, \n or \r; a trailing \r may be the first half of \r\n, so keep it for the next chunk.
    const lines = this.buffer.split(/\r\n|\n|\r(?!$)/);
    this.buffer = lines.pop();
    for (const line of lines) {
      this.line(line);
    }
  }

  line(line) {
    if (line === "") {
      this.dispatch();
      return;
    }

    if (line.startsWith(":")) {
      return; // A comment, such as the server's heartbeat.
    }

    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) {
      value = value.slice(1);
    }

    switch (field) {
      case "event": this.eventName = value; break;
      case "data": this.dataLines.push(value); break;
      case "id": if (!value.includes("\0")) this.id = value; break;
      case "retry": if (/^\d+$/.test(value)) this.onRetry(Number(value)); break;
      default: break; // Unknown fields are ignored, as the spec says.
    }
  }

  dispatch() {
    const hasData = this.dataLines.length > 0;
    const event = { id: this.id, event: this.eventName || "message", data: this.dataLines.join("\n") };
    this.eventName = "";
    this.dataLines = [];
    if (hasData || event.id !== undefined) {
      this.onEvent(event, hasData);
    }

    this.id = undefined;
  }
}

/**
 * Keeps one authenticated event stream open until stop() is called.
 * Callbacks: onOpen(resumed), onEvent({id, event, data}), onState("connecting"|"live"|"retrying"), onUnauthorized(error).
 */
export class LiveEvents {
  constructor(url, callbacks) {
    this.url = url;
    this.callbacks = callbacks;
    this.lastEventId = null;
    this.retryMs = 2000;
    this.failures = 0;
    this.controller = null;
    this.stopped = true;
  }

  start() {
    if (!this.stopped) {
      return;
    }

    this.stopped = false;
    this.loop();
  }

  stop() {
    this.stopped = true;
    this.controller?.abort();
    clearTimeout(this.timer);
  }

  async loop() {
    while (!this.stopped) {
      try {
        await this.connectOnce();
      } catch (error) {
        if (this.stopped) {
          return;
        }

        if (error.status === 401) {
          this.stopped = true;
          this.callbacks.onUnauthorized?.(error);
          return;
        }

        this.callbacks.onError?.(error);
      }

      if (this.stopped) {
        return;
      }

      this.failures++;
      this.callbacks.onState?.("retrying");
      const delay = Math.min(this.retryMs * 2 ** Math.max(0, this.failures - 1), 30000);
      await new Promise((resolve) => { this.timer = setTimeout(resolve, delay); });
    }
  }

  async connectOnce() {
    this.controller = new AbortController();
    this.callbacks.onState?.("connecting");
    const resumeFrom = this.lastEventId;
    const url = resumeFrom ? `${this.url}?lastEventId=${encodeURIComponent(resumeFrom)}` : this.url;
    const response = await fetch(url, {
      headers: { Accept: "text/event-stream", ...authHeaders() },
      cache: "no-store",
      signal: this.controller.signal,
    });
    if (!response.ok) {
      throw await errorFrom(response);
    }

    this.failures = 0;
    this.callbacks.onState?.("live");
    this.callbacks.onOpen?.(Boolean(resumeFrom));
    const parser = new EventStreamParser(
      (event, hasData) => {
        if (event.id !== undefined) {
          this.lastEventId = event.id;
        }

        if (hasData) {
          this.callbacks.onEvent(event);
        }
      },
      (retry) => { this.retryMs = retry; });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }

        parser.feed(value);
      }
    } finally {
      reader.releaseLock();
    }
  }
}
