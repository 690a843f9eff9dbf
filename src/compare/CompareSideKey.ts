/** One column of a comparison: the base model, the instruct model in its template, or the instruct model on raw text. */
export type CompareSideKey = "base" | "instruct" | "instruct-raw";
