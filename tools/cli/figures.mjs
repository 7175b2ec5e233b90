// tools/cli/figures.mjs: figures as the commands' reports write them.

// A rounding function for one report: to `digits` decimals unless a call asks for others;
// null and undefined (a figure not measured) become null, which JSON keeps.
export const rounder =
  (digits) =>
  (x, places = digits) =>
    x === null || x === undefined ? null : Number(x.toFixed(places));
