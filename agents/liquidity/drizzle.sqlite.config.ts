// drizzle-kit generate --config agents/liquidity/drizzle.sqlite.config.ts: SQLite migrations from db/schema.ts.
import { defineConfig } from "drizzle-kit";

export default defineConfig({ dialect: "sqlite", schema: "./agents/liquidity/db/schema.ts", out: "./agents/liquidity/drizzle/sqlite" });
