// drizzle-kit generate --config ussd-bridge/drizzle.sqlite.config.ts: SQLite migrations from schema.ts.
import { defineConfig } from "drizzle-kit";

export default defineConfig({ dialect: "sqlite", schema: "./ussd-bridge/src/db/schema.ts", out: "./ussd-bridge/drizzle/sqlite" });
