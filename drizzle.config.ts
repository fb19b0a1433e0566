import { defineConfig } from "drizzle-kit";

// drizzle-kit writes flat SQL files into migrations/, which wrangler applies locally and
// in deployments and which the tests apply with applyD1Migrations.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
