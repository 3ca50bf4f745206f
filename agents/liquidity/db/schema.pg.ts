/** The liquidity database, PostgreSQL dialect: mirrors `schema.ts`; drizzle-kit generates `agents/liquidity/drizzle/pg`. */
export * from "../flows/schema.pg.js";
export * from "../../keeper/schema.pg.js";
