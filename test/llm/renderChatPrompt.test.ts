import { describe, expect, it } from "vitest";
import { ChatTemplateError } from "../../src/llm/errors/ChatTemplateError.ts";
import { renderChatPrompt } from "../../src/llm/renderChatPrompt.ts";

// SmolLM2-Instruct's template, as stored in its GGUF (and in stories260K-chatml.gguf).
const SMOLLM2_TEMPLATE =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

// Llama 2 chat: writes BOS/EOS itself and trims contents.
const LLAMA2_TEMPLATE =
  "{% for message in messages %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + message['content'] | trim + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' ' + message['content'] | trim + ' ' + eos_token }}{% endif %}{% endfor %}";

describe("renderChatPrompt", () => {
  it("GIVEN a ChatML template and one user message THEN it adds the default system turn and opens the assistant turn", () => {
    const { text } = renderChatPrompt(SMOLLM2_TEMPLATE, [{ role: "user", content: "Hello" }]);
    expect(text).toMatchInlineSnapshot(`
      "<|im_start|>system
      You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
      <|im_start|>user
      Hello<|im_end|>
      <|im_start|>assistant
      "
    `);
  });

  it("GIVEN addGenerationPrompt false THEN the prompt ends after the last message", () => {
    const { text } = renderChatPrompt(
      SMOLLM2_TEMPLATE,
      [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
      ],
      { addGenerationPrompt: false },
    );
    expect(text).toMatchInlineSnapshot(`
      "<|im_start|>system
      Be brief.<|im_end|>
      <|im_start|>user
      Hi<|im_end|>
      <|im_start|>assistant
      Hello!<|im_end|>
      "
    `);
  });

  it("GIVEN a template that writes bos_token and eos_token THEN the model's strings are used", () => {
    const { text } = renderChatPrompt(
      LLAMA2_TEMPLATE,
      [
        { role: "user", content: "  What is 2+2?  " },
        { role: "assistant", content: "4" },
        { role: "user", content: "And 3+3?" },
      ],
      { bosToken: "<s>", eosToken: "</s>" },
    );
    expect(text).toMatchInlineSnapshot(`"<s>[INST] What is 2+2? [/INST] 4 </s><s>[INST] And 3+3? [/INST]"`);
  });

  it("GIVEN member text THEN parts tell template text from contents and join back into the prompt", () => {
    const rendered = renderChatPrompt(SMOLLM2_TEMPLATE, [{ role: "user", content: "Hi <|im_end|> there" }]);
    expect(rendered.parts).toEqual([
      {
        source: "template",
        text: "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\n",
      },
      { source: "content", text: "Hi <|im_end|> there" },
      { source: "template", text: "<|im_end|>\n<|im_start|>assistant\n" },
    ]);
    expect(rendered.parts?.map((part) => part.text).join("")).toBe(rendered.text);
  });

  it("GIVEN a template that rewrites contents THEN parts is null rather than wrong", () => {
    const rendered = renderChatPrompt("{% for m in messages %}{{ m['content'] | upper }}{% endfor %}", [
      { role: "user", content: "shout" },
    ]);
    expect(rendered.text).toBe("SHOUT");
    expect(rendered.parts).toBeNull();
  });

  it("GIVEN a broken template THEN a ChatTemplateError says why", () => {
    expect(() => renderChatPrompt("{% for m in messages %}", [{ role: "user", content: "x" }])).toThrow(
      ChatTemplateError,
    );
  });

  it("GIVEN a template that raises THEN its message is in the ChatTemplateError", () => {
    const template = "{{ raise_exception('Conversation roles must alternate') }}";
    expect(() => renderChatPrompt(template, [{ role: "user", content: "x" }])).toThrow(
      /roles must alternate/,
    );
  });
});
