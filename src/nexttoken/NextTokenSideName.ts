/** Which model of a next-token walk a prompt belongs to. */
export type NextTokenSideName = "base" | "instruct";
