/**
 * Sets `record[key] = value` as an own, enumerable property. Unlike `record[key] = value`, this
 * also works for the key `"__proto__"` (an assignment would replace the prototype instead), so
 * tensors and metadata may have any name.
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
