// drizzle-kit generate --config agents/liquidity/drizzle.pg.config.ts: PostgreSQL migrations from db/schema.pg.ts.
import { defineConfig } from "drizzle-kit";

export default defineConfig({ dialect: "postgresql", schema: "./agents/liquidity/db/schema.pg.ts", out: "./agents/liquidity/drizzle/pg" });
