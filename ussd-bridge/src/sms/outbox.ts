/**
 * SMS notices through an outbox: `notify` stores the notice once per id (an event id, so a repeated
 * event never texts twice), sends it, and marks it sent or failed. It never throws: a notice that
 * could not go out stays in `sms_outbox` and `retryPending` sends it later. Each attempt is claimed
 * by a compare-and-set on `attempts`, so two workers never send the same notice at once. No phone
 * number or message text is ever logged.
 */
import { and, eq, lt, or } from "drizzle-orm";

import type { E164 } from "../../../sdk/phone.js";
import type { Db, Tables } from "../db/open.js";
import type { SmsSender } from "../ports.js";
import type { SmsGateway } from "./africastalking.js";

export interface SmsOutboxOptions {
  db: Db;
  tables: Tables;
  gateway: SmsGateway;
  /** Attempts before a notice is left as failed for good (default 5). */
  maxAttempts?: number;
  /** A queued notice older than this was interrupted (a crash between storing and sending) and is retried (default 60 s). */
  staleAfterMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export interface SmsOutbox extends SmsSender {
  /** Sends every failed notice with attempts left, and every interrupted one. */
  retryPending(): Promise<{ sent: number; failed: number }>;
}

interface Row {
  id: string;
  phone: string;
  message: string;
  attempts: number;
}

export function createSmsSender(options: SmsOutboxOptions): SmsOutbox {
  const { db, tables, gateway } = options;
  const outbox = tables.smsOutbox;
  const maxAttempts = options.maxAttempts ?? 5;
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.warn(line));

  /** One attempt; true when the gateway took it. */
  const attempt = async (row: Row): Promise<boolean | undefined> => {
    const claimed = await db
      .update(outbox)
      .set({ attempts: row.attempts + 1, updatedAt: now() })
      .where(and(eq(outbox.id, row.id), eq(outbox.attempts, row.attempts), or(eq(outbox.status, "queued"), eq(outbox.status, "failed"))))
      .returning({ id: outbox.id });
    if (claimed.length === 0) return undefined; // another worker has it, or it was sent meanwhile
    const result = await gateway.send(row.phone as E164, row.message);
    if (result.ok) {
      await db.update(outbox).set({ status: "sent", providerMessageId: result.messageId, updatedAt: now() }).where(eq(outbox.id, row.id));
      return true;
    }
    // A refusal a retry cannot fix uses up the attempts, so retryPending leaves it alone.
    await db
      .update(outbox)
      .set({ status: "failed", attempts: result.retry ? row.attempts + 1 : maxAttempts, updatedAt: now() })
      .where(eq(outbox.id, row.id));
    log(`sms ${row.id}: attempt ${row.attempts + 1} failed (${result.error})${result.retry ? "" : "; not retried"}`);
    return false;
  };

  return {
    async notify(id, to, message) {
      try {
        const at = now();
        const inserted = await db
          .insert(outbox)
          .values({ id, phone: to, message, status: "queued", attempts: 0, createdAt: at, updatedAt: at })
          .onConflictDoNothing()
          .returning({ id: outbox.id });
        if (inserted.length === 0) return; // this notice was queued before: once per id
        await attempt({ id, phone: to, message, attempts: 0 });
      } catch (error) {
        log(`sms ${id}: could not queue or send (${error instanceof Error ? error.message : String(error)})`);
      }
    },

    async retryPending() {
      const rows = await db
        .select({ id: outbox.id, phone: outbox.phone, message: outbox.message, attempts: outbox.attempts })
        .from(outbox)
        .where(
          or(
            and(eq(outbox.status, "failed"), lt(outbox.attempts, maxAttempts)),
            and(eq(outbox.status, "queued"), lt(outbox.updatedAt, now() - staleAfterMs), lt(outbox.attempts, maxAttempts)),
          ),
        );
      let sent = 0;
      let failed = 0;
      for (const row of rows) {
        try {
          const outcome = await attempt(row);
          if (outcome === true) sent++;
          else if (outcome === false) failed++;
        } catch (error) {
          failed++;
          log(`sms ${row.id}: retry failed (${error instanceof Error ? error.message : String(error)})`);
        }
      }
      return { sent, failed };
    },
  };
}
