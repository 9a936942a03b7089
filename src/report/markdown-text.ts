/**
 * Plain text (an item name such as `user_known_*`, a message, a hint) made safe for Markdown: the
 * characters GitHub would read as emphasis, links, HTML or strike-through are backslash-escaped.
 * Code spans the text already has (`like this`) are kept as they are, so a hint's command still
 * renders as code. Table pipes and line breaks are the table renderer's job.
 */
export function escapeMarkdownText(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const span = /(`+)(?!`)[\s\S]*?[^`]\1(?!`)/.exec(rest);
    if (span === null) return out + escapePlain(rest);
    out += escapePlain(rest.slice(0, span.index)) + span[0];
    rest = rest.slice(span.index + span[0].length);
  }
}

function escapePlain(text: string): string {
  return text.replace(/[\\`*_[\]<>~]/g, '\\$&');
}

/** A table cell's text: its pipes escaped and its line breaks flattened, so the row stays one row. */
export function escapeTableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
