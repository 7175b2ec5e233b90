// tools/cli/options.mjs: reading command-line option values; every command says the same thing
// about a bad one.

// `value` (a string from parseArgs, or undefined) as a number; undefined stays undefined.
export function numberOption(value, name) {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (!Number.isFinite(x)) throw new Error(`--${name} wants a number, not "${value}"`);
  return x;
}
