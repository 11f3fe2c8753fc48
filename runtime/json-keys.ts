// JSON from outside (HTTP bodies, scenario files) may not carry `__proto__` keys: JSON.parse
// keeps one as an own property, and the next plain copy (`result[key] = value`, as validators
// do) turns it into the copy's prototype, so the key silently vanishes or pollutes. A reviver
// refuses it at parse time.
export function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('"__proto__" is not allowed as a key');
  return value;
}
