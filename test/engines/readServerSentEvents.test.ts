import { describe, expect, it } from "vitest";
import { EngineError } from "../../src/engines/EngineError.ts";
import { readServerSentEvents, type ServerSentEvent } from "../../src/engines/readServerSentEvents.ts";

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? new TextEncoder().encode(part) : part;
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(body, "the test server")) events.push(event);
  return events;
}

describe("readServerSentEvents", () => {
  it("GIVEN events split anywhere across chunks, with CRLF, CR and LF line ends THEN each event comes out whole", async () => {
    const events = await readAll(
      chunks("da", 'ta: {"a":', "1}\r", "\n\r\ndata: two\rdata: lines\r\r", "event: done\ndata: [DONE]\n\n"),
    );
    expect(events).toEqual([
      { event: "message", data: '{"a":1}' },
      { event: "message", data: "two\nlines" },
      { event: "done", data: "[DONE]" },
    ]);
  });

  it("GIVEN a UTF-8 character split between chunks THEN it is decoded whole", async () => {
    const bytes = new TextEncoder().encode("data: café 🍓\n\n");
    const events = await readAll(chunks(bytes.slice(0, 9), bytes.slice(9, 14), bytes.slice(14)));
    expect(events).toEqual([{ event: "message", data: "café 🍓" }]);
  });

  it("GIVEN keep-alive comments, unknown fields and a last event without its blank line THEN only complete data events come out", async () => {
    const events = await readAll(chunks(": ping\n\nid: 7\nretry: 10\ndata:x\n\ndata: cut off"));
    expect(events).toEqual([{ event: "message", data: "x" }]);
  });

  it("GIVEN a line that never ends THEN it stops with a protocol error instead of buffering forever", async () => {
    const huge = "a".repeat(1024 * 1024);
    const endless = (async function* () {
      yield new TextEncoder().encode("data: ");
      for (let index = 0; index < 6; index++) yield new TextEncoder().encode(huge);
    })();
    await expect(readAll(endless)).rejects.toThrow(
      new EngineError("protocol", "the test server sent a line longer than 4 MB"),
    );
  });
});
