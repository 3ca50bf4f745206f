/**
 * A small RFC 4180 reader: comma-separated, fields optionally in double quotes, `""` for a quote
 * inside a quoted field, CRLF or LF line ends. Enough for a sanctions list a person exports from a
 * spreadsheet, with the line each record starts on so that errors can point at it.
 *
 * A malformed line (a stray quote) is reported and skipped, and reading resumes on the next line;
 * a quote that is never closed swallows the rest of the file, so reading stops there.
 */

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

export interface CsvError {
  line: number;
  reason: string;
}

export function parseCsv(text: string): { records: CsvRecord[]; errors: CsvError[] } {
  const records: CsvRecord[] = [];
  const errors: CsvError[] = [];
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text; // spreadsheets add a BOM
  let fields: string[] = [];
  let field = "";
  let inQuotes = false;
  let afterQuote = false; // a quoted field ended; only a separator or a line end may follow
  let line = 1;
  let recordLine = 1;

  const reset = () => {
    fields = [];
    field = "";
    afterQuote = false;
  };
  const endRecord = () => {
    fields.push(field);
    // A blank line is not a record.
    if (!(fields.length === 1 && fields[0].trim() === "")) records.push({ line: recordLine, fields });
    reset();
  };
  /** Skips to the end of the current line, after a malformed field. */
  const skipLine = (i: number, reason: string): number => {
    errors.push({ line, reason });
    reset();
    let j = i;
    while (j < source.length && source[j] !== "\n" && source[j] !== "\r") j++;
    return j - 1; // the loop's i++ lands on the line end, which ends the (now empty) record
  };

  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (inQuotes) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
          afterQuote = true;
        }
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === ",") {
      fields.push(field);
      field = "";
      afterQuote = false;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && source[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (c === '"') {
      if (field.trim() !== "" || afterQuote) {
        i = skipLine(i, "a quote in the middle of a field (wrap the whole field in quotes and double the inner quote)");
        continue;
      }
      field = "";
      inQuotes = true;
    } else if (afterQuote) {
      if (c.trim() !== "") i = skipLine(i, "text after a closing quote (a field is either quoted whole or not at all)");
    } else {
      field += c;
    }
  }
  if (inQuotes) errors.push({ line: recordLine, reason: "a quoted field is never closed" });
  else if (field !== "" || fields.length > 0) endRecord();
  return { records, errors };
}
