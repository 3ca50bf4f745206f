// drizzle-kit generate --config ussd-bridge/drizzle.pg.config.ts: PostgreSQL migrations from schema.pg.ts.
import { defineConfig } from "drizzle-kit";

export default defineConfig({ dialect: "postgresql", schema: "./ussd-bridge/src/db/schema.pg.ts", out: "./ussd-bridge/drizzle/pg" });
