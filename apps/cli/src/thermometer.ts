/**
 * The book's thermometer readings (chapter 5 of "Deep Learning with PyTorch"): `t_c` in Celsius and
 * `t_u` in an unknown unit, eleven pairs. `x fit` trains on these when no CSV file is given.
 */
export const thermometer = {
  /** Where the numbers come from, for the summary and the checkpoint's metadata. */
  source: "the book's thermometer readings (built in)",
  /** The input column (unknown unit). */
  x: { name: "t_u", values: [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4] },
  /** The target column (Celsius). */
  y: { name: "t_c", values: [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0] },
} as const;
