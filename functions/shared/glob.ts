/** `*` any run of characters, `?` one character; everything else literal; whole-string match. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The first pattern that matches one of the values, or undefined. */
export function firstMatch(patterns: string[], values: (string | undefined)[]): string | undefined {
  return patterns.find((p) => {
    const re = globToRegExp(p);
    return values.some((v) => v !== undefined && re.test(v));
  });
}
