/** What every rail sandbox is: a Hono app with the provider's HTTP shape, over a shared simulation core. */
import type { Hono } from "hono";

import type { RailId } from "../src/ports.js";
import type { SandboxCore, SandboxOptions } from "./core.js";

export interface RailSandbox {
  rail: RailId;
  app: Hono;
  core: SandboxCore;
}

/** Options every rail sandbox takes: the simulation's, minus what the rail fixes itself. */
export type RailSandboxOptions = Partial<Omit<SandboxOptions, "account">>;
