/** A chat template could not be parsed or rendered; the message carries the jinja error. */
export class ChatTemplateError extends Error {
  constructor(message = "The chat template could not be rendered.") {
    super(message);
    this.name = "ChatTemplateError";
  }
}
