import { EngineError } from "./EngineError.ts";

/** One server-sent event: its `event:` name (`message` when absent) and its joined `data:` lines. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/** A single event larger than this is not a token stream any server sends; it is garbage. */
const MAX_EVENT_BYTES = 4 * 1024 * 1024;

/**
 * Reads a `text/event-stream` body as the HTML standard defines it: lines end with CR, LF or CRLF;
 * `data:` lines accumulate and a blank line dispatches the event; lines starting with `:` are
 * comments (keep-alive pings); other fields (`id:`, `retry:`) are ignored. An unfinished event at
 * the end of the stream is dropped, as the standard says. Throws an {@link EngineError}
 * (`protocol`) when one event grows past 4 MB, since a reader must never buffer without bound.
 */
export async function* readServerSentEvents(
  body: AsyncIterable<Uint8Array>,
  describeSource: string,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  let dataBytes = 0;
  let event = "";
  let pendingCarriageReturn = false;
  /** How much of `buffer` is known to hold no line end. */
  let scanned = 0;

  const takeLine = (line: string): ServerSentEvent | undefined => {
    if (line === "") {
      const dispatched = data.length > 0 ? { event: event || "message", data: data.join("\n") } : undefined;
      data = [];
      dataBytes = 0;
      event = "";
      return dispatched;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      dataBytes += value.length;
      if (dataBytes > MAX_EVENT_BYTES) {
        throw new EngineError("protocol", `${describeSource} sent an event larger than 4 MB`);
      }
      data.push(value);
    } else if (field === "event") {
      event = value;
    }
    return undefined;
  };

  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    if (pendingCarriageReturn && buffer.startsWith("\n")) buffer = buffer.slice(1);
    pendingCarriageReturn = false;
    let start = 0;
    // Only the new text can hold a line end: rescanning the rest would make a long line quadratic.
    for (let index = scanned; index < buffer.length; index++) {
      const char = buffer[index];
      if (char !== "\n" && char !== "\r") continue;
      const dispatched = takeLine(buffer.slice(start, index));
      if (dispatched) yield dispatched;
      if (char === "\r") {
        if (index + 1 === buffer.length) pendingCarriageReturn = true;
        else if (buffer[index + 1] === "\n") index++;
      }
      start = index + 1;
    }
    buffer = buffer.slice(start);
    scanned = buffer.length;
    if (buffer.length > MAX_EVENT_BYTES) {
      throw new EngineError("protocol", `${describeSource} sent a line longer than 4 MB`);
    }
  }
}
