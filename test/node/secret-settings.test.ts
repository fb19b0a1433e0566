import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SECRET_SETTINGS } from "../../src/config/secret-settings";

const root = join(import.meta.dirname, "../..");

/** Setting names README's settings table gives the kind `secret`. */
function documentedSecrets(): string[] {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  return [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]*)` +\| secret +\|/gm)].map(
    (match) => match[1] ?? "",
  );
}

describe("secret settings", () => {
  it("are exactly the ones README documents as secrets", () => {
    const documented = documentedSecrets();
    expect(documented.length).toBeGreaterThan(10);
    expect([...SECRET_SETTINGS].sort()).toEqual([...documented].sort());
  });
});
