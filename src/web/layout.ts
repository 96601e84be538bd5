import { html, SafeHtml, type HtmlValue } from './html.ts';
import { STYLESHEET } from './style.ts';

export type Section = 'services' | 'hosts';

/** Built outside any `html` template, which a formatter may re-indent: the CSP hash covers these exact bytes. */
const STYLE_ELEMENT = new SafeHtml(`<style>${STYLESHEET}</style>`);

/**
 * The page shell: header with navigation, the content, a footer saying when it was rendered. The
 * stylesheet goes in verbatim: the CSP names it by the hash of exactly these bytes.
 */
export function page(title: string, section: Section, content: HtmlValue, nowMs: number): string {
  const nav = (target: Section, href: string, label: string): SafeHtml =>
    html`<a href="${href}" ${section === target ? html` class="active"` : ''}>${label}</a>`;
  return `<!doctype html>\n${html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta http-equiv="refresh" content="30" />
      <title>${title} · Tributary</title>
      ${STYLE_ELEMENT}
    </head>
    <body>
      <header>
        <span class="brand">Tributary</span>
        <nav>${nav('services', '/', 'Services')}${nav('hosts', '/hosts', 'Hosts')}</nav>
      </header>
      <main>${content}</main>
      <footer>
        Rendered ${new Date(nowMs).toISOString().slice(0, 19).replace('T', ' ')} UTC · refreshes every 30 s ·
        <a href="/v1/services">/v1/services</a> · <a href="/v1/logs">/v1/logs</a>
      </footer>
    </body>
  </html>`}`;
}

export function statusBadge(status: string): SafeHtml {
  return html`<span class="badge s-${status.toLowerCase()}">${status.toUpperCase()}</span>`;
}

/** A 100-unit bar as SVG (a width in a style attribute would need 'unsafe-inline'). */
export function shareBar(share: number | null): SafeHtml | '' {
  if (share === null) return '';
  const width = Math.max(0, Math.min(100, share * 100));
  const color = share > 0.9 ? '#c53030' : share > 0.75 ? '#b7791f' : '#2f5fd0';
  return html`<svg width="100" height="6" class="share" aria-hidden="true">
    <rect width="100" height="6" rx="3" fill="#e2e5eb" />
    <rect width="${width.toFixed(1)}" height="6" rx="3" fill="${color}" />
  </svg>`;
}
