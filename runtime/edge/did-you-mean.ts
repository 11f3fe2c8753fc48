// "Did you mean": the known name closest to a mistyped one, as git and npm suggest a command.
// Levenshtein distance, allowed up to a third of the name's length (at least 2), so a typo is
// caught and an unrelated name is not offered.

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

/** The closest of `known` to `name` (case-insensitive), or undefined when none is close. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { name: k, d };
  }
  return best?.name;
}

/** `unknown policy 'x' (did you mean 'y'?); known: a, b, c` — the sentence every such error uses. */
export function unknownNameMessage(what: string, name: string, known: readonly string[]): string {
  const guess = closestName(name, known);
  return `unknown ${what} '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}; known: ${known.join(', ')}`;
}
