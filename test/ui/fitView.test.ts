import { describe, expect, it } from "vitest";
import { toDiscordMessage } from "../../src/discord/toDiscordMessage.ts";
import { discordLimits } from "../../src/ui/discordLimits.ts";
import { fitView, truncateText } from "../../src/ui/fitView.ts";

describe("truncateText", () => {
  it("GIVEN text within the limit THEN returns it unchanged", () => {
    expect(truncateText("hello", 5)).toBe("hello");
  });

  it("GIVEN text over the limit THEN cuts it to the limit with a visible note", () => {
    const cut = truncateText("x".repeat(5000), 2000);
    expect(cut).toHaveLength(2000);
    expect(cut).toMatch(/cut to fit Discord's limit\]$/);
  });

  it("GIVEN an emoji across the cut THEN never leaves half a surrogate pair", () => {
    const note = "…";
    const text = `${"a".repeat(8)}😀😀😀`;
    const cut = truncateText(text, 10, note);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut).not.toMatch(/[\ud800-\udbff]…$/);
  });
});

describe("fitView", () => {
  it("GIVEN oversized content, embeds and buttons THEN every Discord limit holds", () => {
    const view = fitView({
      content: "c".repeat(3000),
      embeds: Array.from({ length: 12 }, (_, i) => ({
        title: "t".repeat(300),
        description: `${i}`.repeat(5000),
        fields: Array.from({ length: 30 }, () => ({ name: "n".repeat(300), value: "v".repeat(2000) })),
        footer: "f".repeat(3000),
      })),
      buttons: Array.from({ length: 7 }, (_, row) =>
        Array.from({ length: 7 }, (_, col) => ({ id: `b:${row}:${col}`, label: "l".repeat(100) })),
      ),
    });
    expect(view.content?.length).toBe(discordLimits.content);
    expect(view.embeds?.length).toBeGreaterThan(0);
    expect(view.embeds?.length).toBeLessThanOrEqual(discordLimits.embeds);
    const total = (view.embeds ?? []).reduce(
      (sum, e) =>
        sum +
        (e.title?.length ?? 0) +
        (e.description?.length ?? 0) +
        (e.footer?.length ?? 0) +
        (e.fields ?? []).reduce((s, f) => s + f.name.length + f.value.length, 0),
      0,
    );
    expect(total).toBeLessThanOrEqual(discordLimits.embedTotal);
    for (const embed of view.embeds ?? []) {
      expect(embed.title?.length).toBeLessThanOrEqual(discordLimits.embedTitle);
      expect(embed.fields?.length).toBeLessThanOrEqual(discordLimits.embedFields);
    }
    expect(view.buttons).toHaveLength(discordLimits.actionRows);
    expect(view.buttons?.every((row) => row.length === discordLimits.buttonsPerRow)).toBe(true);
    expect(view.buttons?.[0]?.[0]?.label.length).toBe(discordLimits.buttonLabel);
  });

  it("GIVEN three long descriptions THEN shortens them but keeps every embed", () => {
    const view = fitView({
      embeds: [1, 2, 3].map((n) => ({ title: `Reply ${n}`, description: "w".repeat(4000) })),
    });
    expect(view.embeds).toHaveLength(3);
    const total = (view.embeds ?? []).reduce(
      (sum, e) => sum + (e.title?.length ?? 0) + (e.description?.length ?? 0),
      0,
    );
    expect(total).toBeLessThanOrEqual(discordLimits.embedTotal);
    expect(view.embeds?.some((e) => e.description?.includes("cut to fit"))).toBe(true);
  });

  it("GIVEN a button id over 100 characters THEN refuses to build the message", () => {
    expect(() => fitView({ buttons: [[{ id: "x".repeat(101), label: "go" }]] })).toThrow(/longer than 100/);
  });

  it("GIVEN two buttons with one id THEN refuses to build the message", () => {
    expect(() =>
      fitView({
        buttons: [
          [
            { id: "a", label: "1" },
            { id: "a", label: "2" },
          ],
        ],
      }),
    ).toThrow(/Duplicate/);
  });
});

describe("toDiscordMessage", () => {
  it("GIVEN text with @everyone and a user mention THEN the payload allows no mentions at all", () => {
    const message = toDiscordMessage({ content: "@everyone look <@123456789012345678>" });
    expect(message.allowedMentions).toEqual({ parse: [], repliedUser: false });
    expect(message.content).toContain("@everyone");
  });

  it("GIVEN a view with an image file THEN the embed points at the attachment", () => {
    const message = toDiscordMessage({
      embeds: [{ title: "chart", imageFile: "chart.png" }],
      files: [{ name: "chart.png", data: Buffer.from([1, 2, 3]), description: "alt" }],
    });
    expect(message.embeds[0]?.image?.url).toBe("attachment://chart.png");
    expect(message.files).toHaveLength(1);
  });
});
