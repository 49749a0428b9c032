/**
 * The book's thermometer data (Deep Learning with PyTorch, chapter 5, section 5.2): eleven readings
 * `t_u` of an unknown thermometer and the same temperatures in degrees Celsius, `t_c`. Copied from
 * shared/reference/book-ch5.json.
 */
export const T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0] as const;
export const T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4] as const;

/** The book's split (2020 printing): torch.randperm drew these indices. */
export const BOOK_SPLIT = { train: [9, 6, 5, 8, 4, 7, 0, 1, 3], val: [2, 10] } as const;

/** The split of the book's older notebook, whose validation loss visibly turns back up. */
export const MEAP_SPLIT = { train: [8, 0, 3, 6, 4, 1, 2, 5, 10], val: [9, 7] } as const;
