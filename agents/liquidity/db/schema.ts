/**
 * The liquidity database, SQLite dialect: the flow history and the keeper's state in one file
 * (`.data/keeper.db` by default). drizzle-kit generates `agents/liquidity/drizzle/sqlite` from this.
 */
export * from "../flows/schema.js";
export * from "../../keeper/schema.js";
