import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";

describe("createLogger", () => {
  it("GIVEN a token or an authorization header in a log entry THEN the secret never reaches the output", () => {
    const lines: string[] = [];
    const logger = createLogger("info", { destination: { write: (line: string) => void lines.push(line) } });
    logger.info(
      { token: "MTIzNDU2Nzg5.secret-token", headers: { authorization: "Bot MTIzNDU2Nzg5.secret" } },
      "hello",
    );
    const output = lines.join("");
    expect(output).toContain('"msg":"hello"');
    expect(output).toContain("[redacted]");
    expect(output).not.toContain("secret");
  });
});
