/**
 * A service name as literal Markdown text: HTML-significant characters become entities and Markdown
 * punctuation is backslash-escaped, so a name like `<img onerror=…>` or `[x](javascript:…)` stays text.
 */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (c) => `\\${c}`);
}
