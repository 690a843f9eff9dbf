import {
  type APIActionRowComponent,
  type APIButtonComponent,
  ButtonStyle,
  ComponentType,
} from "discord-api-types/v10";
import { describe, expect, it } from "vitest";
import { validateMessage } from "./validateMessage.ts";

function row(...customIds: string[]): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: customIds.map((custom_id) => ({
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      label: custom_id,
      custom_id,
    })),
  };
}

const codesOf = (issues: ReturnType<typeof validateMessage>) =>
  issues.map((issue) => `${issue.path.join(".")} ${issue.code}`);

describe("validateMessage", () => {
  it("GIVEN content of exactly 2000 code points, emoji included THEN it is accepted", () => {
    expect(validateMessage({ content: "🙂".repeat(2000) }, 0)).toEqual([]);
  });

  it("GIVEN embeds whose texts add up to 6001 characters THEN the whole message is refused", () => {
    const embed = { description: "d".repeat(4000), fields: [{ name: "n", value: "v".repeat(1000) }] };
    const issues = validateMessage({ embeds: [embed, { title: "t", description: "d".repeat(999) }] }, 0, [
      "data",
    ]);

    expect(codesOf(issues)).toEqual(["data.embeds MAX_EMBED_SIZE_EXCEEDED"]);
  });

  it("GIVEN each embed limit broken once THEN every field is named", () => {
    const embed = {
      title: "t".repeat(257),
      footer: { text: "f".repeat(2049) },
      fields: Array.from({ length: 26 }, (_, index) => ({
        name: index === 0 ? "n".repeat(257) : "n",
        value: "v",
      })),
    };
    const issues = validateMessage({ embeds: [embed] }, 0);

    expect(codesOf(issues)).toEqual([
      "embeds.0.title BASE_TYPE_MAX_LENGTH",
      "embeds.0.footer.text BASE_TYPE_MAX_LENGTH",
      "embeds.0.fields BASE_TYPE_MAX_LENGTH",
      "embeds.0.fields.0.name BASE_TYPE_MAX_LENGTH",
    ]);
  });

  it("GIVEN six rows, a six-button row, a long label and a repeated custom id THEN each is refused", () => {
    const rows = [
      row("a", "b", "c", "d", "e", "f"),
      row("a"),
      row("x".repeat(101)),
      row("g"),
      row("h"),
      row("i"),
    ];
    const issues = validateMessage({ components: rows }, 11);

    expect(codesOf(issues)).toEqual([
      "components BASE_TYPE_MAX_LENGTH",
      "components.0.components COMPONENT_LAYOUT_WIDTH_EXCEEDED",
      "components.1.components.0.custom_id COMPONENT_CUSTOM_ID_DUPLICATED",
      "components.2.components.0.label BASE_TYPE_MAX_LENGTH",
      "components.2.components.0.custom_id BASE_TYPE_MAX_LENGTH",
      "attachments BASE_TYPE_MAX_LENGTH",
    ]);
  });
});
