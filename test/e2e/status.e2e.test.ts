import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble } from "../discord/DiscordDouble.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";

describe("/status through the Discord double", () => {
  const models = temporaryFolder("lm-tutor-status-models-");
  let double: DiscordDouble;
  let bot: TestBot;

  beforeAll(async () => {
    double = await DiscordDouble.start();
    // An empty models folder: the default pair's files are missing, which /status must say.
    bot = await startTestBot(double, { env: { MODELS_DIR: models.dir, LLM_GPU: "false" } });
    await bot.app.models.waitUntilSettled(30_000);
  });

  afterAll(async () => {
    await bot?.stop();
    await double?.close();
    models.remove();
  });

  it("GIVEN the deployed commands THEN /status is a guild command for members who can manage the server", () => {
    const deployed = double.commands.guild.find((command) => command.name === "status");
    expect(deployed?.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
  });

  it("GIVEN missing model files THEN /status answers privately with each pair, where it runs and the queue", async () => {
    const alice = double.user("alice");
    // Discord offers /status only to members who can manage the server; the double does too.
    double.grant(alice, PermissionFlagsBits.ManageGuild);
    const reply = await double.slash(alice, "status").waitForReply();
    expect(reply.ephemeral).toBe(true);
    const embed = reply.embeds[0];
    expect(embed?.title).toBe("Model pairs");
    const first = embed?.fields?.[0];
    expect(first?.name).toBe("SmolLM2 135M (smollm2-135m) · default");
    expect(first?.value).toContain("**base** 🔴 missing");
    expect(first?.value).toContain(
      "in-process, CPU · `hf:QuantFactory/SmolLM2-135M-GGUF/SmolLM2-135M.Q8_0.gguf`",
    );
    expect(first?.value).toMatch(
      /queue: 0 running, 0 waiting \(1 at once\) · llama\.cpp v[\d.]+ \(node-llama-cpp [\d.]+\)$/,
    );
    expect(embed?.fields?.map((field) => field.name)).toContain("Llama 3.2 1B (llama-3.2-1b)");
    double.assertNoErrors();
  });
});
