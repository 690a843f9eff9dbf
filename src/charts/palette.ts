/**
 * Colours shared by every chart: a dark card in Discord's own greys, so an image sits calmly in
 * the (mostly dark) client, with bar colours that keep at least 3:1 contrast against the panels.
 */
export const PALETTE = {
  background: "#1E1F22",
  panel: "#2B2D31",
  track: "#383A40",
  grid: "#4E5058",
  text: "#F2F3F5",
  secondary: "#B5BAC1",
  muted: "#949BA4",
  /** Markers standing for invisible characters in token labels (␣, ↵, <0x0D>). */
  marker: "#A4AAB4",
  /** Bars and accents of the base model. */
  base: "#F0B232",
  /** Bars and accents of the instruct model. */
  instruct: "#7C85F7",
  /** Labels of special tokens such as `<|im_end|>`. */
  special: "#F47FBF",
  good: "#3BA55C",
  warning: "#F0B232",
  bad: "#ED4245",
} as const;
