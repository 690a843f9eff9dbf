import { describe, expect, it } from "vitest";
import { formatContentProblem } from "../../src/lessons/formatContentProblem.ts";

describe("formatContentProblem", () => {
  it("GIVEN a problem with line and field and the content folder THEN it reads as path:line field: message", () => {
    const line = formatContentProblem(
      {
        file: "foundations/bad.yaml",
        line: 12,
        field: "quiz.2.choices",
        message: "exactly one choice must be marked correct (found 2)",
      },
      "./content",
    );

    expect(line).toBe(
      "content/foundations/bad.yaml:12 quiz.2.choices: exactly one choice must be marked correct (found 2)",
    );
  });

  it("GIVEN a problem with neither line nor field THEN only the file and message are shown", () => {
    expect(formatContentProblem({ file: "drafts/track.yaml", message: "track.yaml is missing" })).toBe(
      "drafts/track.yaml: track.yaml is missing",
    );
  });

  it("GIVEN a syntax problem with a line but no field THEN the line follows the file", () => {
    expect(formatContentProblem({ file: "t/bad.yaml", line: 3, message: "invalid YAML" })).toBe(
      "t/bad.yaml:3: invalid YAML",
    );
  });
});
