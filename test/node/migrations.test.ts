import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "hub-migrations-"));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("migrations/", () => {
  it("matches the drizzle schema: generating from it adds no migration", () => {
    cpSync(join(root, "migrations"), scratch, { recursive: true });
    const before = readdirSync(scratch).filter((name) => name.endsWith(".sql"));

    const output = execFileSync(
      join(root, "node_modules/.bin/drizzle-kit"),
      // drizzle-kit resolves --out against the working directory, so pass it relative.
      [
        "generate",
        "--dialect",
        "sqlite",
        "--schema",
        "./src/db/schema.ts",
        "--out",
        relative(root, scratch),
      ],
      { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );

    const after = readdirSync(scratch).filter((name) => name.endsWith(".sql"));
    expect(
      after,
      `schema.ts changed without a migration; run npm run db:generate\n${output}`,
    ).toEqual(before);
  });

  it("keeps migration files flat, as readD1Migrations and wrangler expect", () => {
    const entries = readdirSync(join(root, "migrations"), { withFileTypes: true });
    const nested = entries.filter((entry) => entry.isDirectory() && entry.name !== "meta");
    expect(nested).toEqual([]);
  });
});
