/**
 * Breaks every run of three backticks with zero-width spaces, so text shown inside a Markdown code
 * block (model output, a member's prompt) cannot close the block early.
 */
export function escapeCodeFence(text: string): string {
  return text.replace(/```/g, "`\u200b`\u200b`");
}
