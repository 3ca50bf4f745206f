/** Calendar facts: holidays from date-holidays (GB for NN5, KE, NG), payroll days, Easter. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  BadDateError,
  calendarDay,
  dayOfWeek,
  daysFromEaster,
  daysFromHoliday,
  daysToHoliday,
  daysToMonthEnd,
  describeDay,
  easterSunday,
  holidayName,
  isMidMonthPayroll,
  isMonthEndPayroll,
  isPayrollDay,
  UnknownCountryError,
} from "../../../../agents/liquidity/calendar.js";

describe("liquidity calendar", () => {
  it("numbers days Monday 0 … Sunday 6", () => {
    assert.equal(dayOfWeek("1996-03-18"), 0); // NN5's first day was a Monday
    assert.equal(dayOfWeek("2025-06-15"), 6);
    assert.equal(dayOfWeek("2000-02-29"), 1);
  });

  it("knows the English bank holidays of the NN5 years, including Easter and the Summer bank holiday", () => {
    assert.equal(holidayName("1998-04-10", "GB"), "Good Friday");
    assert.equal(holidayName("1998-04-13", "GB"), "Easter Monday");
    assert.equal(holidayName("1997-08-25", "GB"), "Summer bank holiday");
    assert.equal(holidayName("1997-12-26", "GB"), "Boxing Day");
    assert.equal(holidayName("1998-04-14", "GB"), undefined);
    assert.equal(holidayName("1997-03-09", "GB"), undefined, "Mother's Day is an observance, not a holiday");
  });

  it("knows Kenyan and Nigerian public holidays", () => {
    assert.equal(holidayName("2025-06-01", "KE"), "Siku ya Madaraka");
    assert.equal(holidayName("2025-12-12", "KE"), "Siku ya Jamhuri");
    assert.equal(holidayName("2025-10-01", "NG"), "Independence Day");
    assert.equal(holidayName("2025-06-12", "NG"), "Democracy Day");
    assert.equal(holidayName("2025-06-12", "KE"), undefined);
  });

  it("measures the distance to and from the nearest holiday", () => {
    assert.equal(daysToHoliday("1998-04-08", "GB"), 2); // Good Friday on the 10th
    assert.equal(daysFromHoliday("1998-04-14", "GB"), 1); // Easter Monday on the 13th
    assert.equal(daysToHoliday("1998-06-15", "GB"), 30, "capped when no holiday is within 30 days");
  });

  it("marks the last business day of the month as payroll, skipping weekends and holidays", () => {
    assert.ok(isMonthEndPayroll("2025-01-31", "KE")); // a Friday
    assert.ok(isMonthEndPayroll("2025-05-30", "KE")); // the 31st is a Saturday
    assert.ok(!isMonthEndPayroll("2025-05-31", "KE"));
    assert.ok(isMonthEndPayroll("2024-03-28", "KE")); // Good Friday the 29th, then the weekend
    assert.ok(!isMonthEndPayroll("2024-03-29", "KE"));
  });

  it("marks the 15th, or the business day before it, as mid-month payroll", () => {
    assert.ok(isMidMonthPayroll("2025-01-15", "NG"));
    assert.ok(isMidMonthPayroll("2025-06-13", "NG")); // the 15th is a Sunday
    assert.ok(!isMidMonthPayroll("2025-06-15", "NG"));
    assert.ok(!isMidMonthPayroll("2025-06-12", "NG"), "Democracy Day is not a business day");
    assert.ok(isPayrollDay("2025-03-14", "KE")); // the 15th is a Saturday
    assert.ok(!isPayrollDay("2025-03-13", "KE"));
  });

  it("describes a day in words an explanation can use", () => {
    assert.deepEqual(describeDay("2025-05-30", "KE"), ["payroll day (month end)"]);
    assert.deepEqual(describeDay("1998-04-09", "GB"), ["day before Good Friday"]);
    assert.deepEqual(describeDay("1998-04-10", "GB"), ["public holiday (Good Friday)"]);
    const c = calendarDay("1998-05-29", "GB");
    assert.equal(c.dayOfWeek, 4);
    assert.equal(c.isMonthEndPayroll, true);
    assert.equal(c.daysToMonthEnd, 2);
    assert.equal(daysToMonthEnd("2024-02-29"), 0);
  });

  it("computes Easter and the distance from it", () => {
    assert.equal(easterSunday(1996), "1996-04-07");
    assert.equal(easterSunday(1998), "1998-04-12");
    assert.equal(easterSunday(2025), "2025-04-20");
    assert.equal(daysFromEaster("1998-04-10"), -2);
    assert.equal(daysFromEaster("1998-04-13"), 1);
  });

  it("refuses an unknown country or a malformed date with a clear error", () => {
    assert.throws(() => holidayName("2025-01-01", "XX"), (e: unknown) => e instanceof UnknownCountryError && /"XX"/.test(e.message));
    assert.throws(() => holidayName("2025-01-01", "GB-ZZZ"), UnknownCountryError);
    assert.throws(() => dayOfWeek("2025-02-30"), BadDateError);
    assert.throws(() => dayOfWeek("yesterday"), /expected a calendar day as yyyy-mm-dd/);
  });
});
