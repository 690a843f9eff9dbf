import { randomBytes } from "node:crypto";
import { DiscordAPIError, HTTPError } from "discord.js";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";

const applicationId = "1234567890123456789";
const interactionId = "2345678901234567890";
/** Shaped like Discord's: base64url of `interaction:<id>:<secret>`. */
const interactionToken = Buffer.from(
  `interaction:${interactionId}:${randomBytes(48).toString("base64url")}`,
).toString("base64url");
/** Shaped like a bot token: base64 user id, timestamp, HMAC. */
const botToken = `${Buffer.from(applicationId).toString("base64url")}.${randomBytes(4).toString("base64url")}.${randomBytes(27).toString("base64url")}`;

function logLines(log: (logger: ReturnType<typeof createLogger>) => void): string {
  const lines: string[] = [];
  const logger = createLogger("info", { destination: { write: (line: string) => void lines.push(line) } });
  log(logger);
  return lines.join("");
}

describe("createLogger with discord.js REST errors", () => {
  it("GIVEN a DiscordAPIError from editing an interaction reply THEN the token is gone from every field and the route is still readable", () => {
    const url = `https://discord.com/api/v10/webhooks/${applicationId}/${interactionToken}/messages/@original`;
    // Built with the arguments @discordjs/rest passes when Discord answers 404.
    const error = new DiscordAPIError(
      { code: 10062, message: `Unknown interaction ${interactionToken}` },
      10062,
      404,
      "PATCH",
      url,
      { body: { content: `token was ${interactionToken}` }, files: undefined },
    );
    const output = logLines((logger) => logger.error({ err: error }, "could not answer an interaction"));
    expect(output).toContain('"type":"DiscordAPIError"');
    expect(output).toContain(`/webhooks/${applicationId}/:token/messages/@original`);
    expect(output).toContain("could not answer an interaction");
    expect(output).not.toContain(interactionToken);
    expect(output).not.toContain(interactionToken.slice(0, 40));
  });

  it("GIVEN an HTTPError from an interaction callback THEN the token is gone and the callback route is readable", () => {
    const url = `https://discord.com/api/v10/interactions/${interactionId}/${interactionToken}/callback`;
    const error = new HTTPError(503, "Service Unavailable", "POST", url, {
      body: { type: 5 },
      files: undefined,
    });
    const output = logLines((logger) => logger.warn({ err: error, route: url }, "automatic defer failed"));
    expect(output).toContain(`/interactions/${interactionId}/:token/callback`);
    expect(output).not.toContain(interactionToken);
  });

  it("GIVEN a bot token inside an error message or an unexpected field THEN it never reaches the output", () => {
    const output = logLines((logger) =>
      logger.error(
        { err: new Error(`login failed with ${botToken}`), detail: { header: `Bot ${botToken}` } },
        `tried ${botToken}`,
      ),
    );
    expect(output).toContain("login failed with [redacted]");
    expect(output).not.toContain(botToken);
  });

  it("GIVEN the terminal playground's plain lines THEN a token in an error message is redacted there too", () => {
    const writes: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const logger = createLogger("warn", { plain: true });
      logger.warn(
        { err: new Error(`edit of /webhooks/${applicationId}/${interactionToken} failed`) },
        "edit",
      );
    } finally {
      process.stderr.write = write;
    }
    expect(writes.join("")).toContain(`warning: edit (edit of /webhooks/${applicationId}/:token failed)`);
  });
});
